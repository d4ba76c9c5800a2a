import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/** Why a value does not match the request schema. */
export interface FieldError {
  /** Dotted path of the value at fault, e.g. `properties.subject` or `data.0.id`; `(record)` for the whole record. */
  field: string;
  message: string;
}

/** Checks one value against a schema from a spec; an empty array means valid. */
export type ValidateRecord = (value: unknown) => FieldError[];

/** Options of {@link createSpecValidator} and {@link findSpecPath}. */
export interface SpecLocationOptions {
  /**
   * Directory holding `<vendor>/openapi.yaml`.
   * @default the copy inside this package (`specs/`), else the monorepo's `specs/`
   */
  specsDir?: string | undefined;
}

/** Options of {@link compileSpecValidator}. */
export interface CompileOptions {
  /**
   * Most errors reported for one value; the first ones are the useful ones.
   * @default 10
   */
  maxErrors?: number;
}

// The specs are copied into the package at build time (scripts/copy-specs.mjs), each with a JSON
// copy parsed from its YAML; in the monorepo, before a build, the source specs are used. Both are
// relative to src/ and dist/.
const SPEC_DIRS = [
  new URL('../../specs/', import.meta.url),
  new URL('../../../../specs/', import.meta.url),
];

/** The path of a vendor's spec, or a `TypeError` naming the directories tried. */
export function findSpecPath(vendor: string, options: SpecLocationOptions = {}): string {
  if (typeof vendor !== 'string' || !/^[a-z0-9-]+$/.test(vendor)) {
    throw new TypeError(
      `Expected \`vendor\` to be a vendor name such as "hubspot", got ${String(vendor)}`,
    );
  }
  const dirs = options.specsDir ? [options.specsDir] : SPEC_DIRS.map((url) => fileURLToPath(url));
  for (const dir of dirs) {
    const path = `${dir.replace(/\/$/, '')}/${vendor}/openapi.yaml`;
    if (existsSync(path)) return path;
  }
  throw new TypeError(`Cannot find the ${vendor} spec; looked in ${dirs.join(', ')}`);
}

/**
 * Parses a spec file (YAML or JSON). For `name.yaml`, a `name.json` beside it that is not older
 * (the build writes one with each copied spec) is read instead: parsing the YAML takes a command
 * over 100 ms at every start, the JSON under 1 ms.
 */
export async function loadSpec(path: string): Promise<unknown> {
  const json = path.replace(/\.ya?ml$/, '.json');
  if (json !== path && (await isFresh(json, path))) {
    return JSON.parse(await readFile(json, 'utf8'));
  }
  const text = await readFile(path, 'utf8');
  if (path.endsWith('.json')) return JSON.parse(text);
  const { parse } = await import('yaml');
  return parse(text);
}

/** Whether `derived` exists and was written no earlier than `source`. */
async function isFresh(derived: string, source: string): Promise<boolean> {
  try {
    const [made, from] = await Promise.all([stat(derived), stat(source)]);
    return made.mtimeMs >= from.mtimeMs;
  } catch {
    return false;
  }
}

/**
 * Compiles a validator for the schema at `pointer` in the vendor's spec, e.g.
 * `#/components/schemas/SimplePublicObjectBatchInput` (the items of the request body's array).
 *
 * @example
 * const validate = await createSpecValidator('hubspot', '#/components/schemas/SimplePublicObjectBatchInput');
 * for (const { field, message } of validate(input)) console.error(`line ${line}: ${field} ${message}`);
 */
export async function createSpecValidator(
  vendor: string,
  pointer: string,
  options: SpecLocationOptions & CompileOptions = {},
): Promise<ValidateRecord> {
  return compileSpecValidator(await loadSpec(findSpecPath(vendor, options)), pointer, options);
}

/**
 * Compiles a validator for the schema at `pointer` inside a parsed OpenAPI 3.1 document. `$ref`s
 * between the spec's schemas resolve; OpenAPI's own keywords (`example`, `x-*`, ...) are ignored.
 */
export function compileSpecValidator(
  spec: unknown,
  pointer: string,
  options: CompileOptions = {},
): ValidateRecord {
  return createSpecCompiler(spec, options)(pointer);
}

/**
 * Prepares a spec once and returns a function that compiles a validator per JSON pointer, for a
 * command that checks several schemas of one spec.
 */
export function createSpecCompiler(
  spec: unknown,
  options: CompileOptions = {},
): (pointer: string) => ValidateRecord {
  if (spec === null || typeof spec !== 'object') {
    throw new TypeError('Expected `spec` to be a parsed OpenAPI document');
  }
  const maxErrors = options.maxErrors ?? 10;
  const id = 'urn:bulk-clients:spec';
  return (pointer) => {
    if (typeof pointer !== 'string' || !pointer.startsWith('#/')) {
      throw new TypeError(
        `Expected \`pointer\` to be a JSON pointer such as "#/components/schemas/X", got ${String(pointer)}`,
      );
    }
    if (resolvePointer(spec, pointer) === undefined) {
      throw new TypeError(
        `Expected \`pointer\` to name a schema in the spec; nothing at ${pointer}`,
      );
    }
    // Only the schema asked for and what it references is handed to ajv: the whole document
    // (every path, every other schema) would be checked and held in memory for nothing.
    // strict: false because an OpenAPI document is not a JSON Schema: `example` and the `x-`
    // extensions would be rejected as unknown keywords. Formats are still checked.
    const ajv = new Ajv2020({
      allErrors: true,
      strict: false,
      logger: false,
      validateSchema: false,
    });
    addFormats(ajv);
    ajv.addSchema({ ...reachableFrom(spec, pointer), $id: id }, id);
    const validate = ajv.compile({ $ref: `${id}${pointer}` });
    return (value) => {
      if (validate(value)) return [];
      return (validate.errors ?? []).slice(0, maxErrors).map(toFieldError);
    };
  };
}

/**
 * A copy of the spec that holds only the node at `pointer` and, transitively, every node its
 * local `$ref`s (`#/...`) name, each at its own place, so that the references still resolve.
 */
function reachableFrom(spec: unknown, pointer: string): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  const seen = new Set<string>();
  const pending = [pointer];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    const node = resolvePointer(spec, next);
    if (node === undefined) continue;
    place(document, next, node);
    collectRefs(node, pending);
  }
  return document;
}

function collectRefs(node: unknown, into: string[]): void {
  if (Array.isArray(node)) {
    for (const child of node) collectRefs(child, into);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith('#/')) into.push(child);
      else collectRefs(child, into);
    }
  }
}

function place(document: Record<string, unknown>, pointer: string, node: unknown): void {
  const keys = pointer.slice(2).split('/').map(decodeKey);
  let parent = document;
  for (const key of keys.slice(0, -1)) {
    const child = parent[key];
    if (child === null || typeof child !== 'object') parent[key] = {};
    parent = parent[key] as Record<string, unknown>;
  }
  parent[keys[keys.length - 1]!] = node;
}

function decodeKey(raw: string): string {
  return decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
}

// ajv-formats is CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule })
  .default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

function toFieldError(error: ErrorObject): FieldError {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') {
    path.push(params.missingProperty);
    message = 'is required';
  } else if (
    error.keyword === 'additionalProperties' &&
    typeof params.additionalProperty === 'string'
  ) {
    path.push(params.additionalProperty);
    message = 'is not an allowed field';
  } else if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    message = `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return { field: path.length > 0 ? path.join('.') : '(record)', message };
}

function resolvePointer(document: unknown, pointer: string): unknown {
  let node: unknown = document;
  for (const raw of pointer.slice(2).split('/')) {
    const key = decodeKey(raw);
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
