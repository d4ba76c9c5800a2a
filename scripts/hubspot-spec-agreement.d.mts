/** One property of a body: its JSON type(s), whether its parent requires it, and its enum. */
export interface PropertyFacts {
  type: string;
  required: boolean;
  enum: string[] | undefined;
}

/** A body's properties by path (`inputs[].id`, `results[].warnings[].message`). */
export type PropertyMap = Map<string, PropertyFacts>;

export interface Disagreement {
  /** The body and the property path: `207 numErrors`. */
  where: string;
  reason: string;
}

export interface Comparison {
  agree: number;
  total: number;
  disagreements: Disagreement[];
}

export interface ComparedOperation {
  name: string;
  file: string;
  path: string;
}

export interface AgreementRow extends ComparedOperation, Comparison {
  /** Our spec has no such operation (or no body for it). */
  missing: boolean;
}

export interface Agreement {
  rows: AgreementRow[];
  agree: number;
  total: number;
  percent: number;
}

// biome-ignore lint/suspicious/noExplicitAny: parsed OpenAPI documents are untyped JSON
type OpenApiDocument = Record<string, any>;

export const VENDOR_FILES: Readonly<Record<string, string>>;
export const OPERATIONS: readonly ComparedOperation[];

export function propertyPaths(
  document: OpenApiDocument,
  schema: unknown,
  prefix?: string,
): PropertyMap;
export function operationBodies(
  document: OpenApiDocument,
  path: string,
  method?: string,
): Map<string, PropertyMap>;
export function compareBodies(
  ours: Map<string, PropertyMap>,
  theirs: Map<string, PropertyMap>,
): Comparison;
export function measureAgreement(
  ours: OpenApiDocument,
  vendor: Record<string, OpenApiDocument>,
  operations?: readonly ComparedOperation[],
): Agreement;
export function formatReport(agreement: Agreement): string;
