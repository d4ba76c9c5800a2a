import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface MediaType {
  example?: unknown;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId: string;
  responses: Record<string, ResponseObject>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, ResponseObject> };
}

/** The vault spec, read from the repository so that tests follow it. */
export const spec = parse(
  readFileSync(new URL('../../../specs/vec/openapi.yaml', import.meta.url), 'utf8'),
) as Spec;

/** Every operation of the spec with its method and path template. */
export const specOperations = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({
    path,
    method: method.toUpperCase(),
    operation,
  })),
);

/** Every documented response (status and example body) of one operation; ranges like 5XX skipped. */
export function responseExamples(operationId: string): { status: number; body: unknown }[] {
  const found = specOperations.find((entry) => entry.operation.operationId === operationId);
  if (!found) throw new Error(`No operation ${operationId} in the spec`);
  return Object.entries(found.operation.responses)
    .filter(([status]) => /^\d{3}$/.test(status))
    .map(([status, response]) => {
      const resolved = response.$ref
        ? spec.components.responses[response.$ref.split('/').pop() ?? '']
        : response;
      const body = resolved?.content?.['application/json']?.example;
      if (body === undefined) throw new Error(`No example for ${operationId} ${status}`);
      return { status: Number(status), body };
    });
}
