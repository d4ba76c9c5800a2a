/**
 * Validation built from the vendors' OpenAPI 3.1 files themselves: the document (bundled with
 * any file it references) is registered with Ajv under its file URL, and operations are
 * validated through JSON pointers into it, so there is no second copy of any schema to drift.
 */
import { pathToFileURL } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { findSpecFile, readBundledDocument, SpecLoadError } from './spec-files.js';
import type { ValidationProblem } from './types.js';

export { SpecLoadError } from './spec-files.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;
const MAX_PROBLEMS = 20;

type Json = Record<string, unknown>;

/** One operation of a spec, with what the server needs to check requests and responses. */
export interface SpecOperation {
  vendor: string;
  /** Upper case: `POST`. */
  method: string;
  /** The path template: `/incoming/v2/jobs/{id}`. */
  path: string;
  /** `POST /incoming/v2/jobs/{id}`: the key used by faults and reports. */
  key: string;
  operationId: string | undefined;
  /** Media types of the request body; empty when the operation takes none. */
  requestMediaTypes: string[];
  requestBodyRequired: boolean;
  /** Response keys as written in the spec: `200`, `4XX`, `default`. */
  responseStatuses: string[];
  /** The resolved operation object. */
  definition: Json;
}

/** The request parts that are validated. */
export interface RequestParts {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Media type without parameters; only JSON bodies are validated against a schema. */
  mediaType: string | undefined;
  body: unknown;
  hasBody: boolean;
}

/** A loaded spec with compiled validators (compiled on first use, then cached). */
export class VendorSpec {
  readonly vendor: string;
  readonly file: string;
  readonly document: Json;
  readonly operations: SpecOperation[] = [];
  readonly #rootId: string;
  readonly #bodyAjv: Ajv2020;
  readonly #paramAjv: Ajv2020;
  readonly #byKey = new Map<string, SpecOperation>();
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #paramValidators = new Map<
    string,
    { validate: ValidateFunction; arrays: Set<string> }
  >();

  constructor(vendor: string, file: string) {
    this.vendor = vendor;
    this.file = file;
    this.#rootId = pathToFileURL(file).href;
    const document = readBundledDocument(vendor, file);
    if (!isObject(document) || !isObject(document.paths)) {
      throw new SpecLoadError(vendor, `${file} is not an OpenAPI document (no \`paths\`)`);
    }
    this.document = document;
    this.#bodyAjv = createAjv(false);
    this.#paramAjv = createAjv('array');
    this.#bodyAjv.addSchema(document, this.#rootId);
    this.#paramAjv.addSchema(document, this.#rootId);
    this.#collectOperations();
  }

  /** The operation for a method and path template, if the spec has it. */
  operation(method: string, path: string): SpecOperation | undefined {
    return this.#byKey.get(`${method.toUpperCase()} ${path}`);
  }

  /** Whether the operation accepts a request body of this media type (wildcards allowed). */
  acceptsMediaType(operation: SpecOperation, mediaType: string): boolean {
    return matchMediaType(operation.requestMediaTypes, mediaType) !== undefined;
  }

  /** Checks path and query parameters and the JSON body. An empty list means valid. */
  validateRequest(operation: SpecOperation, request: RequestParts): ValidationProblem[] {
    const problems: ValidationProblem[] = [];
    const params = this.#parameterValidator(operation);
    if (params) {
      const data: { path: Json; query: Json } = { path: { ...request.params }, query: {} };
      for (const name of new Set(request.query.keys())) {
        data.query[name] = params.arrays.has(name)
          ? request.query.getAll(name)
          : request.query.get(name);
      }
      if (!params.validate(data)) problems.push(...toProblems(params.validate.errors, 'params'));
    }
    if (operation.requestMediaTypes.length > 0) {
      if (!request.hasBody) {
        if (operation.requestBodyRequired) {
          problems.push({ pointer: '', message: 'request body is required', in: 'body' });
        }
      } else if (request.mediaType && isJsonMediaType(request.mediaType)) {
        const mediaType = matchMediaType(operation.requestMediaTypes, request.mediaType);
        if (mediaType) {
          const pointer = [...operationPointer(operation), 'requestBody', 'content', mediaType];
          const validate = this.#schemaAt(this.#rootId, pointer);
          if (validate && !validate(request.body)) {
            problems.push(...toProblems(validate.errors, 'body'));
          }
        }
      }
    }
    return problems.slice(0, MAX_PROBLEMS);
  }

  /**
   * Checks a response against the operation's response for that status (exact, then `4XX`, then
   * `default`) and media type. An empty list means valid.
   */
  validateResponse(
    operation: SpecOperation,
    status: number,
    mediaType: string | undefined,
    body: unknown,
  ): ValidationProblem[] {
    const responses = this.#deref(operation.definition.responses) ?? {};
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
    if (key === undefined) {
      return [{ pointer: '', message: `status ${status} is not declared for ${operation.key}` }];
    }
    const response = this.#deref(responses[key]);
    const content = this.#deref(response?.content);
    const declared = content ? Object.keys(content) : [];
    if (body === undefined) {
      return declared.length > 0 && status !== 204 && status !== 304
        ? [{ pointer: '', message: `response ${key} of ${operation.key} must have a body` }]
        : [];
    }
    if (declared.length === 0) {
      return [{ pointer: '', message: `response ${key} of ${operation.key} declares no body` }];
    }
    const matched = mediaType ? matchMediaType(declared, mediaType) : undefined;
    if (!matched) {
      return [
        {
          pointer: '',
          message: `media type ${mediaType} is not declared for ${key} of ${operation.key} (declared: ${declared.join(', ')})`,
        },
      ];
    }
    const pointer = [...operationPointer(operation), 'responses', key, 'content', matched];
    // #walk follows `$ref`s on the way, so referenced responses are validated at their target.
    const validate = this.#schemaAt(this.#rootId, pointer);
    if (!validate || validate(body)) return [];
    return toProblems(validate.errors, 'body').slice(0, MAX_PROBLEMS);
  }

  /**
   * The headers the spec declares on the operation's response for `status` (exact, `4XX`, then
   * `default`), by their declared names.
   */
  responseHeaders(operation: SpecOperation, status: number): { name: string; required: boolean }[] {
    const key = this.#responseKey(operation, status);
    if (key === undefined) return [];
    const response = this.#walk(this.#rootId, [...operationPointer(operation), 'responses', key]);
    const headers = isObject(response.value) ? this.#deref(response.value.headers) : undefined;
    return Object.keys(headers ?? {}).map((name) => ({
      name,
      required: this.#deref(headers?.[name])?.required === true,
    }));
  }

  /**
   * Checks the headers of a response against the declared ones: a required header must be sent,
   * and a declared header that is sent must match its schema (read from text, as for parameters).
   * Headers the spec does not declare are not checked. An empty list means valid.
   */
  validateResponseHeaders(
    operation: SpecOperation,
    status: number,
    headers: Readonly<Record<string, string | undefined>>,
  ): ValidationProblem[] {
    const key = this.#responseKey(operation, status);
    if (key === undefined) return [];
    const sent = new Map(
      Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const problems: ValidationProblem[] = [];
    for (const { name, required } of this.responseHeaders(operation, status)) {
      const value = sent.get(name.toLowerCase());
      if (value === undefined) {
        if (required) problems.push({ pointer: `/${name}`, message: 'is required', in: 'header' });
        continue;
      }
      const pointer = [...operationPointer(operation), 'responses', key, 'headers', name];
      const target = this.#walk(this.#rootId, pointer).target;
      const schemaRef = `${target.base}#${encodePointer([...target.pointer, 'schema'])}`;
      let validate = this.#validators.get(`header:${schemaRef}`);
      if (!validate) {
        // Wrapped in an object so that Ajv coerces the text to the declared type in place.
        validate = this.#paramAjv.compile({
          type: 'object',
          properties: { value: { $ref: schemaRef } },
        });
        this.#validators.set(`header:${schemaRef}`, validate);
      }
      if (validate({ value })) continue;
      for (const error of validate.errors ?? []) {
        problems.push({
          pointer: `/${name}`,
          message: `${JSON.stringify(value)} ${error.message ?? 'is invalid'}`,
          in: 'header',
        });
      }
    }
    return problems;
  }

  #responseKey(operation: SpecOperation, status: number): string | undefined {
    const responses = this.#deref(operation.definition.responses) ?? {};
    return [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
  }

  /** Follows a `$ref` (local or into another file) to the object it names. */
  resolve(value: unknown): Json | undefined {
    return this.#deref(value);
  }

  /** The validator of the `schema` under a media type object at `pointer`, if it has one. */
  #schemaAt(base: string, pointer: string[]): ValidateFunction | undefined {
    // Request bodies, responses and media types may all be references.
    const node = this.#walk(base, pointer);
    if (node.value === undefined) return undefined;
    const target = node.target;
    if (!isObject(node.value) || !('schema' in node.value)) return undefined;
    const id = `${target.base}#${encodePointer([...target.pointer, 'schema'])}`;
    let validate = this.#validators.get(id);
    if (!validate) {
      validate = this.#bodyAjv.getSchema(id);
      if (!validate) throw new Error(`Cannot compile the schema at ${id}`);
      this.#validators.set(id, validate);
    }
    return validate;
  }

  /** Walks a pointer from a document, following any `$ref` met on the way. */
  #walk(
    base: string,
    pointer: string[],
  ): { value: unknown; target: { base: string; pointer: string[] } } {
    let current: { base: string; pointer: string[] } = { base, pointer: [] };
    let value: unknown = base === this.#rootId ? this.document : undefined;
    for (const segment of pointer) {
      if (isObject(value) && typeof value.$ref === 'string') {
        current = this.#refTarget(current.base, value.$ref);
        value = this.#valueAt(current.base, current.pointer);
      }
      if ((!isObject(value) && !Array.isArray(value)) || !(segment in value)) {
        return { value: undefined, target: current };
      }
      value = (value as Json)[segment];
      current = { base: current.base, pointer: [...current.pointer, segment] };
    }
    if (isObject(value) && typeof value.$ref === 'string') {
      current = this.#refTarget(current.base, value.$ref);
      value = this.#valueAt(current.base, current.pointer);
    }
    return { value, target: current };
  }

  #parameterValidator(
    operation: SpecOperation,
  ): { validate: ValidateFunction; arrays: Set<string> } | undefined {
    const cached = this.#paramValidators.get(operation.key);
    if (cached) return cached;
    const pathItem = this.#deref((this.document.paths as Json)[operation.path]) ?? {};
    const declared = new Map<string, { schemaRef: string; required: boolean; isArray: boolean }>();
    const add = (list: unknown, pointer: string[]) => {
      if (!Array.isArray(list)) return;
      list.forEach((_entry, index) => {
        const found = this.#walk(this.#rootId, [...pointer, String(index)]);
        const param = found.value;
        if (!isObject(param) || typeof param.name !== 'string') return;
        if (param.in !== 'path' && param.in !== 'query') return;
        if (!isObject(param.schema) && typeof param.schema !== 'boolean') return;
        const schemaRef = `${found.target.base}#${encodePointer([...found.target.pointer, 'schema'])}`;
        const schema = this.#deref(param.schema);
        const isArray =
          schema?.type === 'array' ||
          (Array.isArray(schema?.type) && schema.type.includes('array'));
        declared.set(`${param.in}:${param.name}`, {
          schemaRef,
          required: param.in === 'path' || param.required === true,
          isArray,
        });
      });
    };
    add(pathItem.parameters, ['paths', operation.path, 'parameters']);
    add(operation.definition.parameters, [...operationPointer(operation), 'parameters']);
    if (declared.size === 0) return undefined;
    const groups: Record<'path' | 'query', { properties: Json; required: string[] }> = {
      path: { properties: {}, required: [] },
      query: { properties: {}, required: [] },
    };
    const arrays = new Set<string>();
    for (const [key, param] of declared) {
      const [where, name] = key.split(/:(.*)/s) as ['path' | 'query', string];
      groups[where].properties[name] = { $ref: param.schemaRef };
      if (param.required) groups[where].required.push(name);
      if (where === 'query' && param.isArray) arrays.add(name);
    }
    const schema = {
      type: 'object',
      properties: {
        path: { type: 'object', ...groups.path },
        query: { type: 'object', ...groups.query },
      },
    };
    const entry = { validate: this.#paramAjv.compile(schema), arrays };
    this.#paramValidators.set(operation.key, entry);
    return entry;
  }

  #collectOperations(): void {
    const paths = this.document.paths as Json;
    for (const [path, rawItem] of Object.entries(paths)) {
      const item = this.#deref(rawItem);
      if (!item) continue;
      for (const method of METHODS) {
        const definition = this.#deref(item[method]);
        if (!definition) continue;
        const requestBody = this.#deref(definition.requestBody);
        const content = this.#deref(requestBody?.content);
        const responses = this.#deref(definition.responses) ?? {};
        const operation: SpecOperation = {
          vendor: this.vendor,
          method: method.toUpperCase(),
          path,
          key: `${method.toUpperCase()} ${path}`,
          operationId:
            typeof definition.operationId === 'string' ? definition.operationId : undefined,
          requestMediaTypes: content ? Object.keys(content) : [],
          requestBodyRequired: requestBody?.required === true,
          responseStatuses: Object.keys(responses),
          definition,
        };
        this.operations.push(operation);
        this.#byKey.set(operation.key, operation);
      }
    }
  }

  #deref(value: unknown, base = this.#rootId, depth = 0): Json | undefined {
    if (!isObject(value)) return undefined;
    if (typeof value.$ref !== 'string' || depth > 20) return value;
    const target = this.#refTarget(base, value.$ref);
    return this.#deref(this.#valueAt(target.base, target.pointer), target.base, depth + 1);
  }

  #refTarget(base: string, ref: string): { base: string; pointer: string[] } {
    const url = new URL(ref, base);
    const fragment = url.hash.slice(1);
    url.hash = '';
    return { base: url.href, pointer: decodePointer(fragment) };
  }

  #valueAt(base: string, pointer: string[]): unknown {
    let value: unknown = base === this.#rootId ? this.document : undefined;
    for (const segment of pointer) {
      if (!isObject(value) && !Array.isArray(value)) return undefined;
      value = (value as Json)[segment];
    }
    return value;
  }
}

/** Loads a vendor's spec from the given folders (default: the packaged then the repo's). */
export function loadSpec(vendor: string, specDirs?: readonly string[]): VendorSpec {
  return new VendorSpec(vendor, findSpecFile(vendor, specDirs));
}

/** Media type without parameters, lower case. */
export function baseMediaType(contentType: string | undefined): string | undefined {
  const value = contentType?.split(';')[0]?.trim().toLowerCase();
  return value ? value : undefined;
}

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

function matchMediaType(declared: readonly string[], mediaType: string): string | undefined {
  const wanted = mediaType.toLowerCase();
  const [type] = wanted.split('/');
  return (
    declared.find((d) => d.toLowerCase() === wanted) ??
    declared.find((d) => d.toLowerCase() === `${type}/*`) ??
    declared.find((d) => d === '*/*')
  );
}

function createAjv(coerceTypes: false | 'array'): Ajv2020 {
  // strict off: OpenAPI schemas carry keywords JSON Schema does not know (`example`,
  // `discriminator`, `x-*`), and the documents hold non-schema members around them.
  const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes, validateFormats: true });
  addFormats.default(ajv);
  return ajv;
}

function operationPointer(operation: SpecOperation): string[] {
  return ['paths', operation.path, operation.method.toLowerCase()];
}

function toProblems(
  errors: ErrorObject[] | null | undefined,
  source: 'body' | 'params',
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    let pointer = error.instancePath;
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required') {
      pointer += `/${escapeSegment(String(error.params.missingProperty))}`;
      message = 'is required';
    } else if (error.keyword === 'additionalProperties') {
      pointer += `/${escapeSegment(String(error.params.additionalProperty))}`;
      message = 'is not allowed';
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    }
    const problem: ValidationProblem = { pointer, message, in: 'body' };
    if (source === 'params') {
      const [, where, name, ...rest] = pointer.split('/');
      problem.in = where === 'path' ? 'path' : 'query';
      problem.parameter = unescapeSegment(name ?? '');
      problem.pointer = `/${[name, ...rest].join('/')}`;
      problem.message = `${problem.in} parameter \`${problem.parameter}\` ${message}`;
    }
    const key = `${problem.in}${problem.pointer}:${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function encodePointer(segments: string[]): string {
  return segments.map((s) => `/${encodeURIComponent(escapeSegment(s))}`).join('');
}

function decodePointer(fragment: string): string[] {
  if (fragment === '' || fragment === '/') return [];
  return fragment
    .replace(/^\//, '')
    .split('/')
    .map((s) => unescapeSegment(decodeURIComponent(s)));
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
