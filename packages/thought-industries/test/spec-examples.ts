import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

const specUrl = new URL('../../../specs/thought-industries/openapi.yaml', import.meta.url);

/** The Thought Industries spec, parsed. */
export const spec = parse(readFileSync(specUrl, 'utf8')) as Json;

function resolve(node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  let target: unknown = spec;
  for (const key of ref.replace(/^#\//, '').split('/')) target = (target as Json)[key];
  return resolve(target as Json);
}

export interface ResponseExample {
  operationId: string;
  status: number;
  example: string;
  body: unknown;
}

/** Every response example in the spec, one entry per operation, status and example. */
export function responseExamples(): ResponseExample[] {
  const out: ResponseExample[] = [];
  for (const pathItem of Object.values(spec.paths as Json)) {
    for (const operation of Object.values(pathItem as Json) as Json[]) {
      const responses = operation.responses as Json;
      for (const [status, response] of Object.entries(responses)) {
        const content = resolve(response as Json).content as Json | undefined;
        const media = content?.['application/json'] as Json | undefined;
        for (const [example, value] of Object.entries((media?.examples ?? {}) as Json)) {
          out.push({
            operationId: operation.operationId as string,
            status: Number(status),
            example,
            body: (value as Json).value,
          });
        }
      }
    }
  }
  return out;
}
