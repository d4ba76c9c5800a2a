/**
 * Spec conformance of every response the sandbox produces. The cases are derived from the specs
 * (every operation, with the spec's own examples) and from the simulators the sandbox runs, so
 * a new vendor simulator or a new operation is covered without editing this file. Each case
 * drives one status (by request or by fault) and validates the body the client received against
 * the operation's response schema for that status and media type.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type FaultStatus,
  type SpecOperation,
  startSandbox,
  type VendorSpec,
} from '../src/index.js';
import { createRandom, createUuid } from '../src/random.js';
import { baseMediaType } from '../src/spec-validator.js';

const TOKEN = 'sandbox-token';
const SMALL_LIMIT = 2048;

const sandbox = await startSandbox({ token: TOKEN, validateResponses: 'record', jobMs: 50 });
// A second sandbox with a small body limit, to produce 413s without sending megabytes.
const small = await startSandbox({ token: TOKEN, maxBodyBytes: SMALL_LIMIT });

afterAll(async () => {
  await Promise.all([sandbox.close(), small.close()]);
});
afterEach(() => {
  for (const s of [sandbox, small]) s.faults.reset();
});

type Sandbox = typeof sandbox;
type Json = Record<string, unknown>;
const uuid = createUuid(createRandom('contract'));

interface Case {
  name: string;
  /** The sandbox to send to, prepared by `arrange` (faults). */
  target: Sandbox;
  arrange?: (target: Sandbox, operation: SpecOperation) => void;
  headers?: Record<string, string>;
  /** Body to send; `undefined` sends the spec's first example (or none). */
  body?: { raw: string | Buffer; contentType: string };
  /** Statuses this case may produce; `undefined` accepts any the spec declares. */
  expect?: number[];
  /** Sends the request twice and checks the second answer (rate limit). */
  twice?: boolean;
  /** Whether the case applies to this operation. */
  when?: (operation: SpecOperation, spec: VendorSpec) => boolean;
}

const hasBody = (operation: SpecOperation) => operation.requestMediaTypes.length > 0;
const hasJsonBody = (operation: SpecOperation) =>
  operation.requestMediaTypes.some((type) => /json/.test(type));

function cases(): Case[] {
  const target = sandbox;
  const faultStatuses: FaultStatus[] = [500, 502, 503, 504];
  return [
    { name: 'spec example with a valid token', target },
    { name: 'no token', target, headers: { authorization: '' } },
    { name: 'a wrong token', target, headers: { authorization: 'Bearer not-the-token' } },
    {
      name: 'malformed JSON',
      target,
      when: hasJsonBody,
      body: { raw: '{"broken": ', contentType: 'json' },
      expect: [400],
    },
    {
      name: 'a JSON body of the wrong shape',
      target,
      when: hasJsonBody,
      body: { raw: '[1, "two", null]', contentType: 'json' },
    },
    {
      name: 'an unsupported media type',
      target,
      when: hasBody,
      body: { raw: 'plain words', contentType: 'text/plain' },
      expect: [415],
    },
    {
      name: 'a body over the size limit',
      target: small,
      when: hasBody,
      body: { raw: Buffer.alloc(SMALL_LIMIT + 1, 0x20), contentType: 'json' },
      expect: [413],
    },
    {
      name: 'the rate limit',
      target,
      twice: true,
      arrange: (t, operation) =>
        t.faults.set({ rateLimit: { requests: 1, perMs: 3_600_000 } }, { route: operation.key }),
      expect: [429],
    },
    ...faultStatuses.map(
      (status): Case => ({
        name: `an injected ${status}`,
        target,
        arrange: (t, operation) =>
          t.faults.set({ errors: { rate: 1, statuses: [status] } }, { route: operation.key }),
        expect: [status],
      }),
    ),
  ];
}

/** The spec's example for a parameter, else a value its schema accepts. */
function parameterValue(spec: VendorSpec, param: Json): string {
  if (param.example !== undefined) return String(param.example);
  const examples = spec.resolve(param.examples);
  const first = examples ? spec.resolve(Object.values(examples)[0]) : undefined;
  if (first && first.value !== undefined) return String(first.value);
  const schema = spec.resolve(param.schema) ?? {};
  for (const key of ['example', 'default', 'const'] as const) {
    if (schema[key] !== undefined) return String(schema[key]);
  }
  if (Array.isArray(schema.examples) && schema.examples.length > 0) {
    return String(schema.examples[0]);
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return String(schema.enum[0]);
  if (schema.format === 'uuid') return uuid();
  if (schema.type === 'integer' || schema.type === 'number') return String(schema.minimum ?? 1);
  return '1';
}

function parameters(spec: VendorSpec, operation: SpecOperation): Json[] {
  const pathItem = spec.resolve((spec.document.paths as Json)[operation.path]) ?? {};
  const list = [
    ...((pathItem.parameters as unknown[]) ?? []),
    ...((operation.definition.parameters as unknown[]) ?? []),
  ];
  return list.map((p) => spec.resolve(p)).filter((p): p is Json => p !== undefined);
}

function requestUrl(base: string, spec: VendorSpec, operation: SpecOperation): string {
  let path = operation.path;
  const query = new URLSearchParams();
  for (const param of parameters(spec, operation)) {
    const value = parameterValue(spec, param);
    if (param.in === 'path') path = path.replace(`{${param.name}}`, encodeURIComponent(value));
    if (param.in === 'query' && param.required) query.set(String(param.name), value);
  }
  const search = query.size > 0 ? `?${query}` : '';
  return `${base}${path}${search}`;
}

/** Every named request example of the operation (JSON media types), by name. */
function namedExamples(spec: VendorSpec, operation: SpecOperation): Case[] {
  const requestBody = spec.resolve(operation.definition.requestBody);
  const content = spec.resolve(requestBody?.content) ?? {};
  const found: Case[] = [];
  for (const [mediaType, rawMedia] of Object.entries(content)) {
    if (!/json/.test(mediaType)) continue;
    const examples = spec.resolve(spec.resolve(rawMedia)?.examples) ?? {};
    for (const [name, rawExample] of Object.entries(examples)) {
      const value = spec.resolve(rawExample)?.value;
      if (value === undefined) continue;
      found.push({
        name: `request example "${name}"`,
        target: sandbox,
        body: { raw: JSON.stringify(value), contentType: mediaType },
      });
    }
  }
  return found;
}

/** The first example body of the operation, serialised for its first media type. */
function exampleBody(
  spec: VendorSpec,
  operation: SpecOperation,
): { raw: string | Buffer; contentType: string } | undefined {
  const [mediaType] = operation.requestMediaTypes;
  if (!mediaType) return undefined;
  const requestBody = spec.resolve(operation.definition.requestBody);
  const media = spec.resolve(spec.resolve(requestBody?.content)?.[mediaType]) ?? {};
  let example = media.example;
  const examples = spec.resolve(media.examples);
  if (example === undefined && examples) example = spec.resolve(Object.values(examples)[0])?.value;
  const schema = spec.resolve(media.schema);
  if (example === undefined) example = schema?.example ?? (schema?.examples as unknown[])?.[0];
  if (mediaType === 'multipart/form-data') {
    const boundary = 'contract-boundary';
    const raw = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="certificate.pdf"\r\n` +
        `Content-Type: application/pdf\r\n\r\n%PDF-1.4 contract test\r\n--${boundary}--\r\n`,
    );
    return { raw, contentType: `multipart/form-data; boundary=${boundary}` };
  }
  return { raw: JSON.stringify(example ?? {}), contentType: mediaType };
}

async function send(
  target: Sandbox,
  spec: VendorSpec,
  operation: SpecOperation,
  testCase: Case,
): Promise<{ status: number; mediaType: string | undefined; body: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, ...testCase.headers };
  if (headers.authorization === '') delete headers.authorization;
  let body = testCase.body ?? exampleBody(spec, operation);
  if (body?.contentType === 'json') {
    body = { ...body, contentType: operation.requestMediaTypes.find((t) => /json/.test(t)) ?? '' };
  }
  if (body) headers['content-type'] = body.contentType;
  const response = await fetch(requestUrl(target.url, spec, operation), {
    method: operation.method,
    headers,
    ...(body && operation.method !== 'GET'
      ? { body: typeof body.raw === 'string' ? body.raw : new Uint8Array(body.raw) }
      : {}),
  });
  const text = await response.text();
  const mediaType = baseMediaType(response.headers.get('content-type') ?? undefined);
  return { status: response.status, mediaType, body: text === '' ? undefined : JSON.parse(text) };
}

describe('every vendor', () => {
  const target = sandbox;
  const specs = [...target.specs.values()];

  it('has a spec for every simulator', () => {
    expect(target.warnings).toEqual([]);
  });

  describe.each(specs.map((spec) => ({ vendor: spec.vendor, spec })))('$vendor', ({ spec }) => {
    const operations = spec.operations.map((operation) => ({ key: operation.key, operation }));

    describe.each(operations)('$key', ({ operation }) => {
      const applicable = [...namedExamples(spec, operation), ...cases()].filter(
        (c) => c.when?.(operation, spec) ?? true,
      );
      it.each(applicable.map((c) => ({ ...c, label: c.name })))(
        'answers $label with a declared status and a valid body',
        async (testCase) => {
          testCase.arrange?.(testCase.target, operation);
          let answer = await send(testCase.target, spec, operation, testCase);
          if (testCase.twice) answer = await send(testCase.target, spec, operation, testCase);
          if (testCase.expect) expect(testCase.expect).toContain(answer.status);
          const problems = spec.validateResponse(
            operation,
            answer.status,
            answer.mediaType,
            answer.body,
          );
          const context = `${spec.vendor} ${operation.key} answered ${answer.status} ${JSON.stringify(answer.body)}; fix the simulator or ${spec.file}`;
          expect(problems, context).toEqual([]);
        },
      );
    });

    it('serves every operation of its spec, and nothing outside it', () => {
      const served = target.routes.filter((r) => r.vendor === spec.vendor).map((r) => r.key);
      expect(served.sort()).toEqual(spec.operations.map((operation) => operation.key).sort());
    });
  });

  it('recorded no spec violation on the server side', () => {
    expect(target.violations).toEqual([]);
  });
});
