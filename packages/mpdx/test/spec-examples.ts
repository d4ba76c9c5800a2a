import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

type Node = Record<string, unknown>;

const MEDIA_TYPE = 'application/vnd.api+json';
const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);

/** The MPDX spec, parsed. */
export const spec = parse(
  readFileSync(new URL('../../../specs/mpdx/openapi.yaml', import.meta.url), 'utf8'),
) as Node;

function deref(node: Node): Node {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  let target: unknown = spec;
  for (const key of ref.replace(/^#\//, '').split('/')) target = (target as Node)[key];
  return deref(target as Node);
}

/** One documented response of one operation, with one of its examples. */
export interface DocumentedResponse {
  operationId: string;
  method: string;
  path: string;
  status: number;
  example: string;
  body: unknown;
}

function examplesOf(media: Node | undefined): [string, unknown][] {
  if (!media) return [];
  if ('example' in media) return [['example', media.example]];
  const named = (media.examples ?? {}) as Record<string, Node>;
  return Object.entries(named).map(([name, example]) => [name, deref(example).value]);
}

/** Every operation in the spec as `[operationId, METHOD, path]`. */
export function operations(): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const [path, item] of Object.entries(spec.paths as Record<string, Node>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      out.push([(operation as Node).operationId as string, method.toUpperCase(), path]);
    }
  }
  return out;
}

/** A response key as a status: a range such as `5XX` stands for its first status. */
function statusOf(key: string): number {
  return /^[1-5]XX$/.test(key) ? Number(key[0]) * 100 : Number(key);
}

/** Every response example in the spec: one entry per operation, status and named example. */
export function documentedResponses(): DocumentedResponse[] {
  const out: DocumentedResponse[] = [];
  for (const [path, item] of Object.entries(spec.paths as Record<string, Node>)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.has(method)) continue;
      const responses = (operation as Node).responses as Record<string, Node>;
      for (const [status, response] of Object.entries(responses)) {
        const media = (deref(response).content as Node | undefined)?.[MEDIA_TYPE] as
          | Node
          | undefined;
        for (const [example, body] of examplesOf(media)) {
          out.push({
            operationId: (operation as Node).operationId as string,
            method: method.toUpperCase(),
            path,
            status: statusOf(status),
            example,
            body,
          });
        }
      }
    }
  }
  return out;
}

/** The request body example of an operation. */
export function requestExample(operationId: string): unknown {
  for (const item of Object.values(spec.paths as Record<string, Node>)) {
    for (const operation of Object.values(item) as Node[]) {
      if (operation.operationId !== operationId) continue;
      const body = operation.requestBody as Node | undefined;
      const media = (body?.content as Node | undefined)?.[MEDIA_TYPE] as Node | undefined;
      return examplesOf(media)[0]?.[1];
    }
  }
  throw new Error(`No operation ${operationId} in the spec`);
}
