import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  MultipartBody,
  Route,
  SandboxRequest,
  SandboxResponse,
  SimulatorContext,
  VendorSimulator,
} from '../src/types.js';
import {
  createVecSimulator,
  ROUTE_PERMISSIONS,
  type VecSimulatorOptions,
  type VecState,
} from '../src/vec/index.js';
import { loadSpecSchemas } from './fixtures/spec-schemas.js';

// ---------------------------------------------------------------------------------------------
// Harness: a fake context with a clock the tests move, and the spec as the judge of every body.

const TOKEN = 'sandbox-token';
const START = Date.UTC(2025, 5, 1, 9, 30, 0);
const MB = 1024 * 1024;

interface Controls {
  now: number;
  jobMs: number;
  failJobs: boolean;
}

/** A seeded PRNG (mulberry32): the same seed always gives the same sequence. */
function seededRandom(seed: number): () => number {
  let value = seed >>> 0;
  return () => {
    value = (value + 0x6d2b79f5) >>> 0;
    let t = value;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fakeContext(seed = 7): { ctx: SimulatorContext; controls: Controls } {
  const controls: Controls = { now: START, jobMs: 10_000, failJobs: false };
  const random = seededRandom(seed);
  const hex = () => Math.floor(random() * 16).toString(16);
  const uuid = () =>
    'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) =>
      c === 'x' ? hex() : ((Math.floor(random() * 4) + 8) as number).toString(16),
    );
  return {
    controls,
    ctx: {
      now: () => controls.now,
      random,
      uuid,
      jobMs: () => controls.jobMs,
      jobShouldFail: () => controls.failJobs,
    },
  };
}

function simulator(options: Partial<VecSimulatorOptions> = {}, seed = 7) {
  const { ctx, controls } = fakeContext(seed);
  const sim = createVecSimulator(ctx, { token: TOKEN, seededCertificates: 0, ...options });
  return { sim, controls, state: sim.state };
}

interface RequestInit {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  token?: string | undefined;
}

function routeOf(sim: VendorSimulator, method: string, path: string): Route {
  const route = sim.routes.find(
    (candidate) => candidate.method === method && candidate.path === path,
  );
  if (!route) throw new Error(`No route ${method} ${path}`);
  return route;
}

function sandboxRequest(route: Route, init: RequestInit): SandboxRequest {
  let path = route.path;
  for (const [name, value] of Object.entries(init.params ?? {})) {
    path = path.replace(`{${name}}`, value);
  }
  return {
    method: route.method,
    path,
    params: init.params ?? {},
    query: new URLSearchParams(init.query),
    headers: { host: '127.0.0.1:4010' },
    body: init.body,
    rawBody: Buffer.alloc(0),
    token: 'token' in init ? init.token : TOKEN,
  };
}

/** Authorizes and handles a request as the shared server does (without its spec validation). */
async function call(
  sim: VendorSimulator,
  method: string,
  path: string,
  init: RequestInit = {},
): Promise<SandboxResponse> {
  const route = routeOf(sim, method, path);
  const request = sandboxRequest(route, init);
  const response = sim.authorize(request, route) ?? (await route.handle(request));
  expectValidAgainstSpec(method, path, response);
  return response;
}

const { spec, ajv, validator } = loadSpecSchemas<{
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }>;
      }
    >
  >;
  components: { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
}>('vec');

function responseSchema(method: string, path: string, status: number): unknown {
  const operation = spec.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`No operation ${method} ${path} in the spec`);
  const declared =
    operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`];
  if (!declared) throw new Error(`The spec has no ${status} response for ${method} ${path}`);
  const resolved = declared.$ref
    ? spec.components.responses[declared.$ref.split('/').pop() ?? '']
    : declared;
  return resolved?.content?.['application/json']?.schema;
}

/** Every answer must be valid against the response the spec declares for its status. */
function expectValidAgainstSpec(method: string, path: string, response: SandboxResponse): void {
  const schema = responseSchema(method, path, response.status) as { $ref: string };
  const validate = validator(schema.$ref);
  const valid = validate(response.body);
  expect(valid, `${method} ${path} ${response.status}: ${ajv.errorsText(validate.errors)}`).toBe(
    true,
  );
}

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2048, 0x20)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(512)]);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(512),
]);

function multipart(
  data: Buffer,
  filename = 'certificate.pdf',
  contentType = 'application/pdf',
): MultipartBody {
  return { fields: {}, files: [{ name: 'file', filename, contentType, data }] };
}

const UPLOAD = '/business/certificate-vault/upload-file';
const BULK = '/business/certificate-vault/bulk';
const LIST = '/business/certificate-vault';
const SHOW = '/business/certificate-vault/{uuid}';
const RETRY = '/business/certificate-vault/{uuid}/retry';
const BATCH = '/business/batches/{batchId}/status';

async function uploadedFileIds(sim: VendorSimulator, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const response = await call(sim, 'POST', UPLOAD, { body: multipart(PDF, `c${index}.pdf`) });
    ids.push((response.body as { data: { file_id: string } }).data.file_id);
  }
  return ids;
}

function entry(fileId: string, index = 0) {
  return {
    certificate_title: 'Certificate of Achievement',
    full_name: `Learner ${index}`,
    applicant_email: `learner${index}@example.com`,
    file_id: fileId,
  };
}

async function acceptedBatch(sim: VendorSimulator, count: number) {
  const ids = await uploadedFileIds(sim, count);
  const response = await call(sim, 'POST', BULK, {
    body: { entries: ids.map((id, index) => entry(id, index)) },
  });
  expect(response.status).toBe(202);
  return (response.body as { data: { batch_id: string; total: number; status: string } }).data;
}

interface ListedCertificate {
  uuid: string;
  status: { value: string };
  applicant_email: string;
  batch_id: string | null;
  id: number;
}

async function listAll(sim: VendorSimulator, query: Record<string, string> = {}) {
  const response = await call(sim, 'GET', LIST, { query: { per_page: '100', ...query } });
  expect(response.status).toBe(200);
  return (response.body as { data: ListedCertificate[] }).data;
}

async function batchStatus(sim: VendorSimulator, batchId: string) {
  const response = await call(sim, 'GET', BATCH, { params: { batchId } });
  return response.body as {
    status: string;
    total_certificates: number;
    processed_certificates: number;
    failed_certificates: number;
    progress: number;
  };
}

function createdCount(state: VecState): number {
  return [...state.certificatesPerFile.values()].reduce((sum, count) => sum + count, 0);
}

// ---------------------------------------------------------------------------------------------

describe('vault simulator routes', () => {
  it('serves exactly the operations of the spec, with its path templates', () => {
    const { sim } = simulator();
    const inSpec = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(sim.routes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(
      inSpec.sort(),
    );
    expect(Object.keys(ROUTE_PERMISSIONS).sort()).toEqual(inSpec.sort());
  });

  it('judges bodies by the spec: a body the spec does not allow fails the check', () => {
    expect(() =>
      expectValidAgainstSpec('GET', LIST, { status: 200, body: { data: 'none' } }),
    ).toThrow();
    expect(() =>
      expectValidAgainstSpec('POST', BULK, {
        status: 422,
        body: { message: 'x', errors: { file: ['y'] } },
      }),
    ).toThrow();
  });

  it('validates the bulk and upload bodies itself', () => {
    const { sim } = simulator();
    expect(routeOf(sim, 'POST', BULK).validateRequest).toBe(false);
    expect(routeOf(sim, 'POST', UPLOAD).validateRequest).toBe(false);
  });
});

describe('upload-file', () => {
  it.each([
    ['a PDF', PDF, 'application/pdf'],
    ['a JPEG', JPEG, 'image/jpeg'],
    ['a PNG', PNG, 'image/png'],
  ])('stores %s and answers 201 with its id', async (_label, data, mimeType) => {
    const { sim, state } = simulator();
    const response = await call(sim, 'POST', UPLOAD, {
      body: multipart(data, 'scan.bin', 'application/octet-stream'),
    });
    expect(response.status).toBe(201);
    const file = (
      response.body as {
        data: { file_id: string; file_name: string; mime_type: string; size: number };
      }
    ).data;
    expect(file).toMatchObject({ file_name: 'scan.bin', mime_type: mimeType, size: data.length });
    expect(state.files.get(file.file_id)).toMatchObject({ mimeType, size: data.length });
  });

  it('accepts a file of exactly 20 MB', async () => {
    const { sim } = simulator();
    const data = Buffer.concat([PDF, Buffer.alloc(20 * MB - PDF.length)]);
    const response = await call(sim, 'POST', UPLOAD, { body: multipart(data) });
    expect(response.status).toBe(201);
  });

  it.each([
    [
      'a text file',
      multipart(Buffer.from('hello'), 'notes.txt', 'text/plain'),
      ['The file field must be a file of type: pdf, jpg, jpeg, png.'],
    ],
    [
      'text named and typed as a PDF',
      multipart(Buffer.from('hello'), 'fake.pdf', 'application/pdf'),
      ['The file field must be a file of type: pdf, jpg, jpeg, png.'],
    ],
    [
      'a PDF over 20 MB',
      multipart(Buffer.concat([PDF, Buffer.alloc(20 * MB + 1 - PDF.length)])),
      ['The file field must not be greater than 20480 kilobytes.'],
    ],
    [
      'a form without a file',
      { fields: { note: 'x' }, files: [] },
      ['The file field is required.'],
    ],
    [
      'a file under another field name',
      { fields: {}, files: [{ name: 'document', filename: 'a.pdf', data: PDF }] },
      ['The file field is required.'],
    ],
    ['no body at all', undefined, ['The file field is required.']],
  ])('rejects %s with 422 and per-field errors', async (_label, body, messages) => {
    const { sim, state } = simulator();
    const response = await call(sim, 'POST', UPLOAD, { body });
    expect(response.status).toBe(422);
    expect((response.body as { errors: unknown }).errors).toEqual({ file: messages });
    expect(state.files.size).toBe(0);
  });
});

describe('bulk create', () => {
  it('accepts a valid batch with 202 and creates pending certificates, one per file', async () => {
    const { sim, state } = simulator();
    const ids = await uploadedFileIds(sim, 3);
    const response = await call(sim, 'POST', BULK, {
      body: {
        entries: ids.map((id, index) => ({
          ...entry(id, index),
          issue_date: '2025-06-01',
          details: 'Well done',
        })),
      },
    });
    expect(response.status).toBe(202);
    const data = (response.body as { data: { batch_id: string; total: number; status: string } })
      .data;
    expect(data).toMatchObject({ total: 3, status: 'processing' });
    expect(state.batches.get(data.batch_id)?.certificateUuids).toHaveLength(3);
    for (const id of ids) expect(state.certificatesPerFile.get(id)).toBe(1);
    const listed = await listAll(sim, { batch_id: data.batch_id });
    expect(listed.map((certificate) => certificate.status.value)).toEqual([
      'pending',
      'pending',
      'pending',
    ]);
  });

  it.each([
    ['certificate_title', 255, true],
    ['certificate_title', 256, false],
    ['full_name', 255, true],
    ['full_name', 256, false],
    ['details', 1000, true],
    ['details', 1001, false],
  ] as const)('treats a %s of %i characters as valid: %s', async (field, length, valid) => {
    const { sim } = simulator();
    const [id] = await uploadedFileIds(sim, 1);
    const response = await call(sim, 'POST', BULK, {
      body: { entries: [{ ...entry(id!), [field]: 'x'.repeat(length) }] },
    });
    expect(response.status).toBe(valid ? 202 : 422);
    if (!valid) {
      const limit = field === 'details' ? 1000 : 255;
      expect((response.body as { errors: string[] }).errors).toEqual([
        `Entry 0: ${field} must not be greater than ${limit} characters`,
      ]);
    }
  });

  const missing = '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
  type Case = [string, (ids: string[]) => unknown[], (ids: string[]) => string[], string?];
  const invalidBatches: Case[] = [
    [
      'an unknown file id',
      (ids) => [entry(ids[0]!), entry(missing, 1)],
      () => [`Entry 1: file_id ${missing} not found`],
      'Some file_ids could not be resolved',
    ],
    [
      'a file id twice in the batch',
      (ids) => [entry(ids[0]!), entry(ids[1]!, 1), entry(ids[0]!, 2)],
      (ids) => [`Entry 2: file_id ${ids[0]} is already used by entry 0`],
    ],
    [
      'a bad email address',
      (ids) => [{ ...entry(ids[0]!), applicant_email: 'john.example.com' }],
      () => ['Entry 0: applicant_email john.example.com is not a valid email address'],
    ],
    [
      'an email over 255 characters',
      (ids) => [{ ...entry(ids[0]!), applicant_email: `${'a'.repeat(250)}@example.com` }],
      () => ['Entry 0: applicant_email must not be greater than 255 characters'],
    ],
    [
      'missing required fields',
      () => [{ details: 'only details' }],
      () => [
        'Entry 0: certificate_title is required',
        'Entry 0: full_name is required',
        'Entry 0: applicant_email is required',
        'Entry 0: file_id is required',
      ],
    ],
    [
      'fields of the wrong type',
      (ids) => [{ ...entry(ids[0]!), full_name: 42, details: ['x'] }],
      () => ['Entry 0: full_name must be a string', 'Entry 0: details must be a string'],
    ],
    [
      'a file id that is not a uuid',
      () => [entry('file-1')],
      () => ['Entry 0: file_id file-1 is not a valid UUID'],
    ],
    [
      'an impossible issue date',
      (ids) => [{ ...entry(ids[0]!), issue_date: '2025-02-30' }],
      () => ['Entry 0: issue_date must be a date in the format YYYY-MM-DD'],
    ],
    [
      'an entry that is not an object',
      (ids) => [entry(ids[0]!), 'John Smith'],
      () => [
        'Entry 1: must be an object with certificate_title, full_name, applicant_email and file_id',
      ],
    ],
    [
      'problems in several entries',
      (ids) => [
        { ...entry(ids[0]!), applicant_email: 'nope' },
        entry(ids[1]!, 1),
        { ...entry(missing, 2), full_name: '' },
      ],
      () => [
        'Entry 0: applicant_email nope is not a valid email address',
        'Entry 2: full_name is required',
        `Entry 2: file_id ${missing} not found`,
      ],
      '2 of 3 entries are invalid',
    ],
  ];

  it.each(invalidBatches)(
    'rejects a batch with %s, reporting every problem and creating nothing',
    async (_label, entries, expected, message) => {
      const { sim, state } = simulator();
      const ids = await uploadedFileIds(sim, 2);
      const response = await call(sim, 'POST', BULK, { body: { entries: entries(ids) } });
      expect(response.status).toBe(422);
      const body = response.body as { message: string; errors: string[] };
      expect(body.errors).toEqual(expected(ids));
      if (message) expect(body.message).toBe(message);
      expect(state.certificates.size).toBe(0);
      expect(state.batches.size).toBe(0);
      expect(createdCount(state)).toBe(0);
    },
  );

  it('rejects a file id already used by an earlier batch', async () => {
    const { sim, state } = simulator();
    const ids = await uploadedFileIds(sim, 2);
    await call(sim, 'POST', BULK, { body: { entries: [entry(ids[0]!)] } });
    const response = await call(sim, 'POST', BULK, {
      body: { entries: [entry(ids[1]!), entry(ids[0]!, 1)] },
    });
    expect(response.status).toBe(422);
    expect((response.body as { errors: string[] }).errors).toEqual([
      `Entry 1: file_id ${ids[0]} has already been used by another certificate`,
    ]);
    expect(state.certificatesPerFile.get(ids[0]!)).toBe(1);
    expect(state.certificatesPerFile.has(ids[1]!)).toBe(false);
  });

  it('lets the files of a rejected batch be used afterwards', async () => {
    const { sim, state } = simulator();
    const ids = await uploadedFileIds(sim, 1);
    const rejected = await call(sim, 'POST', BULK, {
      body: { entries: [entry(ids[0]!), entry(missing, 1)] },
    });
    expect(rejected.status).toBe(422);
    const accepted = await call(sim, 'POST', BULK, { body: { entries: [entry(ids[0]!)] } });
    expect(accepted.status).toBe(202);
    expect(state.certificatesPerFile.get(ids[0]!)).toBe(1);
  });

  it.each([
    ['no entries field', {}, 'The entries field is required.'],
    ['a body that is not an object', 'entries', 'The entries field is required.'],
    ['entries that are not a list', { entries: { 0: 'x' } }, 'The entries field must be an array.'],
    ['an empty list', { entries: [] }, 'The entries field must have at least 1 item.'],
  ])('rejects %s', async (_label, body, message) => {
    const { sim } = simulator();
    const response = await call(sim, 'POST', BULK, { body });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ message, errors: [message] });
  });
});

describe('background processing', () => {
  it('moves each certificate from pending through processing to generated over jobMs', async () => {
    const { sim, controls } = simulator();
    controls.jobMs = 8_000;
    const batch = await acceptedBatch(sim, 4);
    const statuses = async () =>
      (await listAll(sim, { batch_id: batch.batch_id }))
        .reverse()
        .map((certificate) => certificate.status.value);

    expect(await statuses()).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(await batchStatus(sim, batch.batch_id)).toEqual({
      status: 'processing',
      total_certificates: 4,
      processed_certificates: 0,
      failed_certificates: 0,
      progress: 0,
    });
    controls.now = START + 1_000; // slot 2 s: the first one starts at 1 s
    expect(await statuses()).toEqual(['processing', 'pending', 'pending', 'pending']);
    controls.now = START + 4_000;
    expect(await statuses()).toEqual(['generated', 'generated', 'pending', 'pending']);
    expect(await batchStatus(sim, batch.batch_id)).toMatchObject({
      status: 'processing',
      processed_certificates: 2,
      progress: 50,
    });
    controls.now = START + 8_000;
    expect(await statuses()).toEqual(['generated', 'generated', 'generated', 'generated']);
    expect(await batchStatus(sim, batch.batch_id)).toEqual({
      status: 'completed',
      total_certificates: 4,
      processed_certificates: 4,
      failed_certificates: 0,
      progress: 100,
    });
  });

  it('fails every certificate and the batch while the fault layer fails jobs', async () => {
    const { sim, controls } = simulator();
    controls.failJobs = true;
    const batch = await acceptedBatch(sim, 3);
    controls.now = START + controls.jobMs;
    expect(await batchStatus(sim, batch.batch_id)).toMatchObject({
      status: 'failed',
      failed_certificates: 3,
      progress: 100,
    });
    expect(await listAll(sim, { status: 'failed' })).toHaveLength(3);
  });

  it('fails a seeded share of certificates and reports the batch as partially completed', async () => {
    const run = async (seed: number) => {
      const { sim, controls } = simulator({ failureRate: 0.3 }, seed);
      const batch = await acceptedBatch(sim, 40);
      controls.now = START + controls.jobMs;
      const status = await batchStatus(sim, batch.batch_id);
      const failed = (await listAll(sim, { batch_id: batch.batch_id, status: 'failed' })).map(
        (c) => c.id,
      );
      return { status, failed };
    };
    const first = await run(11);
    expect(first.status.status).toBe('partially_completed');
    expect(first.status.failed_certificates).toBe(first.failed.length);
    expect(first.failed.length).toBeGreaterThan(0);
    expect(first.failed.length).toBeLessThan(40);
    expect(await run(11)).toEqual(first);
  });

  it('settles at once when jobMs is 0', async () => {
    const { sim, controls } = simulator();
    controls.jobMs = 0;
    const batch = await acceptedBatch(sim, 2);
    expect(await batchStatus(sim, batch.batch_id)).toMatchObject({
      status: 'completed',
      progress: 100,
    });
  });
});

describe('retry', () => {
  async function failedCertificate() {
    const context = simulator();
    context.controls.failJobs = true;
    const batch = await acceptedBatch(context.sim, 1);
    context.controls.now = START + context.controls.jobMs;
    const [certificate] = await listAll(context.sim, { batch_id: batch.batch_id });
    return { ...context, batch, uuid: certificate!.uuid };
  }

  it('queues a failed certificate again, which can then be generated', async () => {
    const { sim, controls, state, batch, uuid } = await failedCertificate();
    controls.failJobs = false;
    const response = await call(sim, 'POST', RETRY, { params: { uuid } });
    expect(response.status).toBe(200);
    expect((response.body as { data: ListedCertificate }).data.status.value).toBe('pending');
    expect(state.certificates.get(uuid)?.attempts).toBe(2);
    controls.now += controls.jobMs;
    const shown = await call(sim, 'GET', SHOW, { params: { uuid } });
    expect((shown.body as { data: ListedCertificate }).data.status.value).toBe('generated');
    expect(await batchStatus(sim, batch.batch_id)).toMatchObject({
      status: 'completed',
      failed_certificates: 0,
    });
    expect(createdCount(state)).toBe(1);
  });

  it('refuses a certificate that has not failed with 422', async () => {
    const { sim } = simulator();
    const batch = await acceptedBatch(sim, 1);
    const [certificate] = await listAll(sim, { batch_id: batch.batch_id });
    const response = await call(sim, 'POST', RETRY, { params: { uuid: certificate!.uuid } });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      message: 'Only failed certificates can be retried; this certificate is pending.',
      errors: { status: ['Only failed certificates can be retried; this certificate is pending.'] },
    });
  });

  it.each([
    ['POST', RETRY, { uuid: '6a0d8c47-16d3-4c2b-9f5e-2b7a1c9d0e3f' }],
    ['GET', SHOW, { uuid: '6a0d8c47-16d3-4c2b-9f5e-2b7a1c9d0e3f' }],
    ['GET', BATCH, { batchId: '6a0d8c47-16d3-4c2b-9f5e-2b7a1c9d0e3f' }],
  ])('answers %s %s for an unknown id with 404', async (method, path, params) => {
    const { sim } = simulator();
    const response = await call(sim, method, path, { params });
    expect(response.status).toBe(404);
    expect((response.body as { error: string }).error).toBe('resource_not_found');
  });
});

describe('list and read', () => {
  it('pages 15 certificates by default, newest first, with Laravel links and meta', async () => {
    const { sim } = simulator({ seededCertificates: 24 });
    const response = await call(sim, 'GET', LIST, { query: { page: '2' } });
    const body = response.body as {
      data: ListedCertificate[];
      links: Record<string, string | null>;
      meta: Record<string, unknown> & {
        links: { url: string | null; label: string; active: boolean }[];
      };
    };
    expect(body.data).toHaveLength(9);
    const ids = body.data.map((certificate) => certificate.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(body.meta).toMatchObject({
      current_page: 2,
      from: 16,
      to: 24,
      last_page: 2,
      per_page: 15,
      total: 24,
    });
    const base = 'http://127.0.0.1:4010/business/certificate-vault';
    expect(body.links).toEqual({
      first: `${base}?page=1`,
      last: `${base}?page=2`,
      prev: `${base}?page=1`,
      next: null,
    });
    expect(body.meta.links.map((link) => [link.label, link.active])).toEqual([
      ['&laquo; Previous', false],
      ['1', false],
      ['2', true],
      ['Next &raquo;', false],
    ]);
  });

  it('keeps filters and page size in the pagination links', async () => {
    const { sim } = simulator({ seededCertificates: 24 });
    const response = await call(sim, 'GET', LIST, {
      query: { per_page: '5', search: 'example.com' },
    });
    const body = response.body as { links: { next: string }; meta: { last_page: number } };
    expect(new URL(body.links.next).searchParams.toString()).toBe(
      'search=example.com&per_page=5&page=2',
    );
    expect(body.meta.last_page).toBe(5);
  });

  it.each([
    ['per_page above 100', { per_page: '101' }, 'per_page'],
    ['per_page of 0', { per_page: '0' }, 'per_page'],
    ['a page that is not a number', { page: 'two' }, 'page'],
    ['an unknown status', { status: 'done' }, 'status'],
  ])('rejects %s with 422', async (_label, query, field) => {
    const { sim } = simulator();
    const response = await call(sim, 'GET', LIST, { query });
    expect(response.status).toBe(422);
    expect(Object.keys((response.body as { errors: object }).errors)).toEqual([field]);
  });

  it('filters by email, search text, status and batch', async () => {
    const { sim, controls } = simulator({ seededCertificates: 24 });
    const batch = await acceptedBatch(sim, 3);
    const all = await listAll(sim);
    expect(all).toHaveLength(27);
    const byBatch = await listAll(sim, { batch_id: batch.batch_id });
    expect(byBatch.map((c) => c.batch_id)).toEqual([
      batch.batch_id,
      batch.batch_id,
      batch.batch_id,
    ]);
    const byEmail = await listAll(sim, { applicant_email: 'LEARNER1@example.com' });
    expect(byEmail.map((c) => c.applicant_email)).toEqual(['learner1@example.com']);
    const bySearch = await listAll(sim, { search: 'learner' });
    expect(bySearch).toHaveLength(3);
    controls.now = START + controls.jobMs;
    const generated = await listAll(sim, { status: 'generated' });
    expect(new Set(generated.map((c) => c.status.value))).toEqual(new Set(['generated']));
    expect(generated.filter((c) => c.batch_id === batch.batch_id)).toHaveLength(3);
    const settledElsewhere = await listAll(sim, { status: 'revoked' });
    expect(
      generated.length +
        settledElsewhere.length +
        (await listAll(sim, { status: 'failed' })).length,
    ).toBe(27);
  });

  it('reads one certificate by uuid', async () => {
    const { sim } = simulator();
    const batch = await acceptedBatch(sim, 1);
    const [listed] = await listAll(sim, { batch_id: batch.batch_id });
    const response = await call(sim, 'GET', SHOW, { params: { uuid: listed!.uuid } });
    expect(response.status).toBe(200);
    expect((response.body as { data: unknown }).data).toEqual(listed);
  });
});

describe('authorization', () => {
  const requests: [string, string, RequestInit][] = [
    ['POST', UPLOAD, { body: multipart(PDF) }],
    ['POST', BULK, { body: { entries: [] } }],
    ['GET', LIST, {}],
    ['GET', SHOW, { params: { uuid: '6a0d8c47-16d3-4c2b-9f5e-2b7a1c9d0e3f' } }],
    ['POST', RETRY, { params: { uuid: '6a0d8c47-16d3-4c2b-9f5e-2b7a1c9d0e3f' } }],
    ['GET', BATCH, { params: { batchId: '6a0d8c47-16d3-4c2b-9f5e-2b7a1c9d0e3f' } }],
  ];

  it.each(requests)(
    'answers %s %s with 401 for a wrong or missing token',
    async (method, path, init) => {
      const { sim } = simulator();
      for (const token of ['wrong-token', undefined]) {
        const response = await call(sim, method, path, { ...init, token });
        expect(response).toMatchObject({
          status: 401,
          body: { message: 'Unauthorized - Invalid API token' },
        });
      }
    },
  );

  it.each(requests)(
    'answers %s %s with 403 naming the permission it lacks',
    async (method, path, init) => {
      const { sim, state } = simulator();
      const permission = ROUTE_PERMISSIONS[`${method} ${path}`]!;
      state.permissions.delete(permission);
      const response = await call(sim, method, path, init);
      expect(response).toMatchObject({ status: 403, body: { required_permission: permission } });
      state.permissions.add(permission);
      expect((await call(sim, method, path, init)).status).not.toBe(403);
    },
  );

  it('grants the five vault permissions by default', () => {
    const { state } = simulator();
    expect([...state.permissions].sort()).toEqual([
      'certificate-vault:create',
      'certificate-vault:download',
      'certificate-vault:list',
      'certificate-vault:update',
      'certificate-vault:view',
    ]);
  });
});

describe('errors the shared server asks for', () => {
  it.each([
    [500, BULK, { message: 'Boom', error_code: 'SERVER_ERROR' }],
    [503, LIST, { message: 'Boom', error_code: 'SERVICE_UNAVAILABLE' }],
    [404, SHOW, { message: 'Boom', error: 'resource_not_found' }],
    [401, LIST, { message: 'Boom' }],
    [413, UPLOAD, { message: 'Boom' }],
    [415, BULK, { message: 'Boom' }],
    [400, BULK, { message: 'Boom' }],
  ])('builds a %i in the vault shape', (status, path, body) => {
    const { sim } = simulator();
    const response = sim.error(status, 'Boom');
    expect(response).toMatchObject({ status, body });
    const method = path === LIST || path === SHOW ? 'GET' : 'POST';
    expectValidAgainstSpec(method, path, response);
  });

  it('builds a 429 with Retry-After and the Laravel throttle headers', () => {
    const { sim } = simulator();
    const response = sim.error(429, 'Rate limit exceeded', { retryAfterMs: 1_500 });
    expect(response).toMatchObject({
      status: 429,
      body: { message: 'Too Many Attempts.' },
      headers: { 'Retry-After': '2' },
    });
    expectValidAgainstSpec('GET', LIST, response);
    expect(
      sim.rateLimitHeaders?.({
        window: {
          limit: 60,
          remaining: 0,
          windowMs: 60_000,
          resetAt: START + 30_000,
          retryAfterMs: 30_000,
        },
        refusedBy: 'window',
      }),
    ).toEqual({
      'X-RateLimit-Limit': '60',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String((START + 30_000) / 1000),
    });
  });

  it('answers a spec-invalid query with 422 per field and a malformed path id with 404', () => {
    const { sim } = simulator();
    const request = sandboxRequest(routeOf(sim, 'GET', LIST), {});
    const invalidQuery = sim.invalid(
      [{ pointer: '/per_page', message: 'must be <= 100', in: 'query', parameter: 'per_page' }],
      request,
    );
    expect(invalidQuery).toMatchObject({
      status: 422,
      body: { errors: { per_page: ['The per_page field must be <= 100.'] } },
    });
    expectValidAgainstSpec('GET', LIST, invalidQuery);
    const named = sim.invalid(
      [
        {
          pointer: '/page',
          message: 'query parameter `page` must be >= 1',
          in: 'query',
          parameter: 'page',
        },
      ],
      request,
    );
    expect(named.body).toEqual({
      message: 'Query parameter `page` must be >= 1.',
      errors: { page: ['Query parameter `page` must be >= 1.'] },
    });
    const invalidPath = sim.invalid(
      [{ pointer: '/uuid', message: 'must match format "uuid"', in: 'path', parameter: 'uuid' }],
      request,
    );
    expect(invalidPath).toMatchObject({ status: 404, body: { error: 'resource_not_found' } });
  });
});

describe('determinism', () => {
  let randomSpy: ReturnType<typeof vi.spyOn>;
  let nowSpy: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    randomSpy = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    nowSpy = vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now used');
    });
  });
  afterEach(() => {
    randomSpy.mockRestore();
    nowSpy.mockRestore();
  });

  it('builds the same vault and answers the same from the same seed, using only the context', async () => {
    const run = async () => {
      const { sim, controls } = simulator({ seededCertificates: 24, failureRate: 0.2 });
      const batch = await acceptedBatch(sim, 5);
      controls.now = START + controls.jobMs;
      return { batch, list: await listAll(sim), status: await batchStatus(sim, batch.batch_id) };
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const { sim } = simulator({ seededCertificates: 24 }, 8);
    expect((await listAll(sim)).map((c) => c.uuid)).not.toEqual(
      first.list.slice(5).map((c) => c.uuid),
    );
  });
});

describe('options', () => {
  it.each([
    ['an empty token', { token: '' }, /options\.token/],
    ['a failure rate above 1', { token: TOKEN, failureRate: 2 }, /failureRate/],
    ['a negative seeded count', { token: TOKEN, seededCertificates: -1 }, /seededCertificates/],
  ])('throws a TypeError for %s', (_label, options, pattern) => {
    const { ctx } = fakeContext();
    expect(() => createVecSimulator(ctx, options)).toThrow(TypeError);
    expect(() => createVecSimulator(ctx, options)).toThrow(pattern);
  });
});
