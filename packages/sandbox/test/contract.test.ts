/**
 * Spec conformance of every response the sandbox produces. The cases are derived from the specs
 * (every operation, with the spec's own examples) and from the simulators the sandbox runs, so
 * a new vendor simulator or a new operation is covered without editing this file. Each case
 * drives one status (by request or by fault) and validates the body the client received against
 * the operation's response schema for that status and media type.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

// Limits far above what the tests send, with every kind configured (window, secondly, daily), so
// that every answer carries all the rate-limit headers its vendor sends and they can be checked.
const LIMITS = {
  rateLimit: { requests: 1_000_000, perMs: 10_000, secondly: 1_000_000 },
  dailyLimit: 1_000_000_000,
};
const sandbox = await startSandbox({
  token: TOKEN,
  validateResponses: 'record',
  jobMs: 50,
  ...LIMITS,
});
// A second sandbox with a small body limit, to produce 413s without sending megabytes.
const small = await startSandbox({ token: TOKEN, maxBodyBytes: SMALL_LIMIT, ...LIMITS });

afterAll(async () => {
  await Promise.all([sandbox.close(), small.close()]);
  writeCoverage();
});
afterEach(() => {
  for (const s of [sandbox, small]) s.faults.reset();
});

type Sandbox = typeof sandbox;
type Json = Record<string, unknown>;
const uuid = createUuid(createRandom('contract'));
/** Statuses seen per `vendor METHOD path`, written to test-artifacts/ for review. */
const produced = new Map<string, Set<number>>();

function writeCoverage(): void {
  const dir = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${dir}contract-coverage.json`, `${JSON.stringify(coverage(), null, 2)}\n`);
}

function coverage() {
  return [...sandbox.specs.values()].flatMap((spec) =>
    spec.operations.map((operation) => {
      const seen = [...(produced.get(`${spec.vendor} ${operation.key}`) ?? [])].sort();
      return {
        operation: `${spec.vendor} ${operation.key}`,
        produced: seen,
        declaredNotProduced: operation.responseStatuses.filter(
          (status) => !seen.some((code) => matchesStatus(status, code)),
        ),
      };
    }),
  );
}

function matchesStatus(declared: string, code: number): boolean {
  return declared === String(code) || declared === `${String(code)[0]}XX` || declared === 'default';
}

interface Case {
  name: string;
  /** Replaces one parameter's value in the URL (to break it). */
  parameter?: (
    spec: VendorSpec,
    operation: SpecOperation,
  ) => { name: string; value: string } | undefined;
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
      name: 'an invalid parameter',
      target,
      parameter: invalidParameter,
      when: (operation, spec) => invalidParameter(spec, operation) !== undefined,
    },
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
        t.faults.set(
          { rateLimit: { requests: 1, perMs: 3_600_000, secondly: 1000 } },
          { route: operation.key },
        ),
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

/** The first parameter whose schema some value breaks, with that value. */
function invalidParameter(
  spec: VendorSpec,
  operation: SpecOperation,
): { name: string; value: string } | undefined {
  for (const param of parameters(spec, operation)) {
    const schema = spec.resolve(param.schema) ?? {};
    const name = String(param.name);
    if (schema.format === 'uuid') return { name, value: 'not-a-uuid' };
    if (schema.type === 'integer' || schema.type === 'number') return { name, value: 'many' };
    if (schema.type === 'boolean') return { name, value: 'maybe' };
    if (Array.isArray(schema.enum)) return { name, value: 'not-one-of-them' };
    if (typeof schema.maxLength === 'number') {
      return { name, value: 'x'.repeat(schema.maxLength + 1) };
    }
  }
  return undefined;
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

function requestUrl(
  base: string,
  spec: VendorSpec,
  operation: SpecOperation,
  override?: { name: string; value: string },
): string {
  let path = operation.path;
  const query = new URLSearchParams();
  for (const param of parameters(spec, operation)) {
    const replaced = override?.name === param.name;
    const value = replaced && override ? override.value : parameterValue(spec, param);
    if (param.in === 'path') path = path.replace(`{${param.name}}`, encodeURIComponent(value));
    if (param.in === 'query' && (param.required || replaced)) query.set(String(param.name), value);
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
): Promise<{
  status: number;
  mediaType: string | undefined;
  body: unknown;
  headers: Record<string, string>;
}> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, ...testCase.headers };
  if (headers.authorization === '') delete headers.authorization;
  let body = testCase.body ?? exampleBody(spec, operation);
  if (body?.contentType === 'json') {
    body = { ...body, contentType: operation.requestMediaTypes.find((t) => /json/.test(t)) ?? '' };
  }
  if (body) headers['content-type'] = body.contentType;
  const override = testCase.parameter?.(spec, operation);
  const response = await fetch(requestUrl(target.url, spec, operation, override), {
    method: operation.method,
    headers,
    ...(body && operation.method !== 'GET'
      ? { body: typeof body.raw === 'string' ? body.raw : new Uint8Array(body.raw) }
      : {}),
  });
  const text = await response.text();
  const mediaType = baseMediaType(response.headers.get('content-type') ?? undefined);
  return {
    status: response.status,
    mediaType,
    body: text === '' ? undefined : JSON.parse(text),
    headers: headersOf(response),
  };
}

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

const RATE_LIMIT_HEADER = /ratelimit/i;

/**
 * The rate-limit headers of an answer against the spec's declarations for its status: every
 * declared one is sent (all limits are configured), every one sent is declared (so is
 * `Retry-After` on a 429), and each value matches its schema.
 */
function expectRateLimitHeaders(
  spec: VendorSpec,
  operation: SpecOperation,
  status: number,
  headers: Record<string, string>,
): void {
  const context = `${spec.vendor} ${operation.key} answered ${status} with ${JSON.stringify(headers)}; fix the simulator or ${spec.file}`;
  const declared = spec.responseHeaders(operation, status).map((h) => h.name.toLowerCase());
  const relevant = (name: string) =>
    RATE_LIMIT_HEADER.test(name) || (status === 429 && name === 'retry-after');
  const sent = Object.keys(headers).filter(relevant);
  expect(
    declared.filter(relevant).filter((name) => !(name in headers)),
    context,
  ).toEqual([]);
  expect(
    sent.filter((name) => !declared.includes(name)),
    context,
  ).toEqual([]);
  expect(spec.validateResponseHeaders(operation, status, headers), context).toEqual([]);
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
          const key = `${spec.vendor} ${operation.key}`;
          produced.set(key, (produced.get(key) ?? new Set()).add(answer.status));
          expect(problems, context).toEqual([]);
          expectRateLimitHeaders(spec, operation, answer.status, answer.headers);
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

/** Sends one request of a scenario, checks its answer against the spec and returns it. */
async function call(
  vendor: string,
  key: string,
  path: string,
  options: { json?: unknown; form?: FormData; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json }> {
  const spec = sandbox.specs.get(vendor);
  const [method = '', template = ''] = key.split(' ');
  const operation = spec?.operation(method, template);
  if (!spec || !operation) throw new Error(`${vendor} has no operation ${key}`);
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, ...options.headers };
  let body: string | FormData | undefined = options.form;
  if (options.json !== undefined) {
    headers['content-type'] = operation.requestMediaTypes[0] ?? 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${sandbox.url}${path}`, { method, headers, body });
  const text = await response.text();
  const parsed = text === '' ? undefined : JSON.parse(text);
  const mediaType = baseMediaType(response.headers.get('content-type') ?? undefined);
  const statuses = produced.get(`${vendor} ${key}`) ?? new Set<number>();
  produced.set(`${vendor} ${key}`, statuses.add(response.status));
  const problems = spec.validateResponse(operation, response.status, mediaType, parsed);
  expect(problems, `${vendor} ${key} answered ${response.status} ${text.slice(0, 500)}`).toEqual(
    [],
  );
  expectRateLimitHeaders(spec, operation, response.status, headersOf(response));
  return { status: response.status, body: parsed ?? {} };
}

/**
 * Business outcomes the spec examples alone cannot reach (existing ids, partial failures,
 * permissions), walked through each API as a client would. Every answer is checked as above.
 */
describe('scenario walks', () => {
  const unknownId = '99999999';

  it.runIf(sandbox.specs.has('hubspot'))('hubspot: partial failures and reads', async () => {
    const batch = '/crm/v3/objects/tickets/batch';
    const update = await call('hubspot', `POST ${batch}/update`, `${batch}/update`, {
      json: {
        inputs: [
          { id: '1', properties: { subject: 'Contract walk' } },
          { id: unknownId, properties: { subject: 'x' } },
        ],
      },
    });
    expect(update.status).toBe(207);
    const read = await call('hubspot', `POST ${batch}/read`, `${batch}/read`, {
      json: {
        inputs: [{ id: '1' }, { id: unknownId }],
        properties: ['subject'],
        propertiesWithHistory: [],
      },
    });
    expect(read.status).toBe(207);
    const create = await call('hubspot', `POST ${batch}/create`, `${batch}/create`, {
      json: {
        inputs: [
          { properties: { subject: 'New ticket', hs_pipeline: '0', hs_pipeline_stage: '1' } },
          { properties: { subject: 'Bad', no_such_property: 'x' } },
        ],
      },
    });
    expect([201, 207]).toContain(create.status);
    const upsert = await call('hubspot', `POST ${batch}/upsert`, `${batch}/upsert`, {
      json: {
        inputs: [
          { id: '2', properties: { subject: 'Upserted' } },
          { id: unknownId, properties: { subject: 'x' } },
        ],
      },
    });
    expect(upsert.status).toBe(207);
    const one = await call(
      'hubspot',
      'GET /crm/v3/objects/tickets/{ticketId}',
      '/crm/v3/objects/tickets/1',
    );
    expect(one.status).toBe(200);
  });

  it.runIf(sandbox.specs.has('hubspot'))(
    'hubspot: partial failures on the object paths of each version',
    async () => {
      const versions = [
        ['/crm/v3/objects/{objectType}/batch', '/crm/v3/objects/contacts/batch'],
        ['/crm/objects/2026-03/{objectType}/batch', '/crm/objects/2026-03/2-12345/batch'],
      ] as const;
      for (const [template, batch] of versions) {
        const post = (operation: string, json: unknown) =>
          call('hubspot', `POST ${template}/${operation}`, `${batch}/${operation}`, { json });
        const update = await post('update', {
          inputs: [{ id: unknownId, properties: {} }],
        });
        expect(update.status).toBe(207);
        const read = await post('read', {
          inputs: [{ id: '1' }, { id: unknownId }],
          properties: [],
          propertiesWithHistory: [],
        });
        expect(read.status).toBe(207);
        const create = await post('create', { inputs: [{ properties: { no_such: 'x' } }] });
        expect(create.status).toBe(207);
        const upsert = await post('upsert', { inputs: [{ id: unknownId, properties: {} }] });
        expect(upsert.status).toBe(207);
      }
    },
  );

  it.runIf(sandbox.specs.has('thought-industries'))(
    'thought-industries: a bulk update and its background job',
    async () => {
      const templates = sandbox.state.thoughtIndustries?.templates;
      const [templateId] = [...(templates?.keys() ?? [])];
      const path = '/incoming/v2/content/certificate-templates/bulk/update';
      const update = await call('thought-industries', `POST ${path}`, path, {
        json: { templates: [{ id: templateId, title: 'Walked' }] },
      });
      expect(update.status).toBe(200);
      const jobId = JSON.stringify(update.body).match(
        /"backgroundJob":\{[^}]*?"id":"([0-9a-f-]{36})"/,
      )?.[1];
      expect(jobId).toBeDefined();
      const job = await call(
        'thought-industries',
        'GET /incoming/v2/jobs/{id}',
        `/incoming/v2/jobs/${jobId}`,
      );
      expect(job.status).toBe(200);
      const importPath = '/incoming/v2/content/courseGroup/webinar/bulk';
      const missing = await call('thought-industries', `POST ${importPath}`, importPath, {
        json: { bulkImportAssetPath: 'uploads/nowhere.csv', dryRun: true },
      });
      expect(missing.status).toBe(422);
    },
  );

  it.runIf(sandbox.specs.has('vec'))('vec: upload, bulk, batch status, permissions', async () => {
    const base = '/business/certificate-vault';
    const form = new FormData();
    form.set('file', new Blob(['%PDF-1.4 walk'], { type: 'application/pdf' }), 'walk.pdf');
    const upload = await call('vec', `POST ${base}/upload-file`, `${base}/upload-file`, { form });
    expect(upload.status).toBe(201);
    const fileId = (upload.body.data as Json).file_id;
    const empty = await call('vec', `POST ${base}/upload-file`, `${base}/upload-file`, {
      form: new FormData(),
    });
    expect(empty.status).toBeGreaterThanOrEqual(400);
    const broken = await fetch(`${sandbox.url}${base}/upload-file`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'multipart/form-data; boundary=cut',
      },
      body: '--cut\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF',
    });
    expect(broken.status).toBe(400);
    const uploadOperation = sandbox.specs.get('vec')?.operation('POST', `${base}/upload-file`);
    if (uploadOperation) {
      const answer = await broken.json();
      expect(
        sandbox.specs
          .get('vec')
          ?.validateResponse(uploadOperation, 400, 'application/json', answer),
      ).toEqual([]);
      produced.get(`vec POST ${base}/upload-file`)?.add(400);
    }
    const bulk = await call('vec', `POST ${base}/bulk`, `${base}/bulk`, {
      json: {
        entries: [
          {
            certificate_title: 'Certificate of Achievement',
            full_name: 'Ada Walker',
            applicant_email: 'ada@example.com',
            file_id: fileId,
            issue_date: '2026-01-05',
          },
        ],
      },
    });
    expect(bulk.status).toBe(202);
    const batchId = (bulk.body.data as Json).batch_id;
    const status = await call(
      'vec',
      'GET /business/batches/{batchId}/status',
      `/business/batches/${batchId}/status`,
    );
    expect(status.status).toBe(200);
    const list = await call('vec', `GET ${base}`, `${base}?per_page=5`);
    expect(list.status).toBe(200);
    const vec = sandbox.state.vec;
    const [uuidOfOne] = [...(vec?.certificates.keys() ?? [])];
    const one = await call('vec', `GET ${base}/{uuid}`, `${base}/${uuidOfOne}`);
    expect(one.status).toBe(200);
    const retry = await call('vec', `POST ${base}/{uuid}/retry`, `${base}/${uuidOfOne}/retry`);
    expect(retry.status).toBeGreaterThanOrEqual(200);
    const failed = [...(vec?.certificates.values() ?? [])].find((c) => c.outcome === 'failed');
    if (failed) {
      const again = await call('vec', `POST ${base}/{uuid}/retry`, `${base}/${failed.uuid}/retry`);
      expect(again.status).toBe(200);
    }
    // A token without the permission a route needs.
    const saved = new Set(vec?.permissions);
    vec?.permissions.clear();
    try {
      for (const [key, path] of [
        [`GET ${base}`, base],
        [`GET ${base}/{uuid}`, `${base}/${uuidOfOne}`],
        [`POST ${base}/{uuid}/retry`, `${base}/${uuidOfOne}/retry`],
        ['GET /business/batches/{batchId}/status', `/business/batches/${batchId}/status`],
      ] as const) {
        expect((await call('vec', key, path)).status).toBe(403);
      }
      expect(
        (await call('vec', `POST ${base}/upload-file`, `${base}/upload-file`, { form })).status,
      ).toBe(403);
      expect(
        (await call('vec', `POST ${base}/bulk`, `${base}/bulk`, { json: { entries: [] } })).status,
      ).toBe(403);
    } finally {
      for (const permission of saved) vec?.permissions.add(permission);
    }
  });

  it.runIf(sandbox.specs.has('mpdx'))('mpdx: bulk create, then read back', async () => {
    const mpdx = sandbox.state.mpdx;
    const [accountListId] = [...(mpdx?.accountLists.keys() ?? [])];
    const [typeId] = [...(mpdx?.notificationTypes.keys() ?? [])];
    const id = uuid();
    const base = '/api/v2/account_lists/{account_list_id}/notification_preferences';
    const path = `/api/v2/account_lists/${accountListId}/notification_preferences`;
    const created = await call('mpdx', `POST ${base}/bulk`, `${path}/bulk`, {
      json: {
        data: [
          {
            data: {
              type: 'notification_preferences',
              id,
              attributes: { app: true, email: false, task: true },
              relationships: {
                notification_type: { data: { type: 'notification_types', id: typeId } },
              },
            },
          },
        ],
      },
    });
    expect(created.status).toBe(200);
    expect((await call('mpdx', `GET ${base}`, path)).status).toBe(200);
    expect((await call('mpdx', `GET ${base}/{id}`, `${path}/${id}`)).status).toBe(200);
  });
});

describe('coverage', () => {
  // Runs last (vitest keeps file order): every status a spec declares was produced and checked.
  it('produced every status each operation declares', () => {
    const missing = coverage().filter((entry) => entry.declaredNotProduced.length > 0);
    expect(missing).toEqual([]);
  });
});
