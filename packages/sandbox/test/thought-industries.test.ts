import { beforeEach, describe, expect, it } from 'vitest';
import {
  createThoughtIndustriesSimulator,
  SEEDED_ASSETS,
  TEMPLATE_COUNT,
} from '../src/thought-industries/index.js';
import type { Route, SandboxRequest, SandboxResponse, SimulatorContext } from '../src/types.js';
import { type Json, loadSpecSchemas } from './fixtures/spec-schemas.js';

// ---------------------------------------------------------------- deterministic context

interface FakeContext extends SimulatorContext {
  advance(ms: number): void;
  /** Fates handed to the next jobs, in order; jobs beyond the list succeed. */
  failNextJobs: boolean[];
  jobDurationMs: number;
}

function createFakeContext(seed = 42): FakeContext {
  let state = seed >>> 0;
  let clock = Date.UTC(2025, 2, 4, 10, 0, 0);
  const random = () => {
    // mulberry32: small, seedable, good enough for test data.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (count: number) =>
    Array.from({ length: count }, () => Math.floor(random() * 16).toString(16)).join('');
  const context: FakeContext = {
    now: () => clock,
    random,
    uuid: () =>
      `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`,
    jobMs: () => context.jobDurationMs,
    jobShouldFail: () => context.failNextJobs.shift() ?? false,
    advance: (ms) => {
      clock += ms;
    },
    failNextJobs: [],
    jobDurationMs: 1_000,
  };
  return context;
}

const token = 'ti_test_sandbox';

// ---------------------------------------------------------------- spec validation

const { spec, deref, validator } = loadSpecSchemas<
  { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> } & Json
>('thought-industries');

/** Fails unless `response` is documented for the route and its body matches the spec. */
function expectMatchesSpec(route: Route, response: SandboxResponse): void {
  const operation = spec.paths[route.path]?.[route.method.toLowerCase()];
  const documented = operation?.responses[String(response.status)] as Json | undefined;
  expect(documented, `${route.method} ${route.path} documents ${response.status}`).toBeDefined();
  const media = (deref(documented as Json).content as Json)['application/json'] as Json;
  const validate = validator((media.schema as Json).$ref as string);
  const valid = validate(response.body);
  expect(validate.errors ?? [], JSON.stringify(response.body)).toEqual([]);
  expect(valid).toBe(true);
}

function schemaValidator(name: string) {
  return validator(`#/components/schemas/${name}`);
}

// ---------------------------------------------------------------- harness

function setup(seed = 42) {
  const ctx = createFakeContext(seed);
  const sim = createThoughtIndustriesSimulator(ctx, { token });
  function route(method: string, path: string): Route {
    const found = sim.routes.find(
      (candidate) => candidate.method === method && candidate.path === path,
    );
    if (!found) throw new Error(`no route ${method} ${path}`);
    return found;
  }
  async function call(
    method: string,
    path: string,
    {
      body,
      params = {},
      token: sent = token,
    }: { body?: unknown; params?: Record<string, string>; token?: string } = {},
  ): Promise<SandboxResponse> {
    const matched = route(method, path);
    const request: SandboxRequest = {
      method,
      path: Object.entries(params).reduce((p, [key, value]) => p.replace(`{${key}}`, value), path),
      params,
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/json' },
      body,
      rawBody: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      token: sent,
    };
    const rejected = sim.authorize(request, matched);
    const response = rejected ?? (await matched.handle(request));
    expectMatchesSpec(matched, response);
    return response;
  }
  return { ctx, sim, call };
}

const UPDATE = '/incoming/v2/content/certificate-templates/bulk/update';
const CREATE = '/incoming/v2/content/certificate-templates/bulk';
const IMPORT = '/incoming/v2/content/courseGroup/webinar/bulk';
const JOB = '/incoming/v2/jobs/{id}';

interface BackgroundJob {
  id: string;
  status: string;
  errorMessage?: string;
  createdAt: string;
}
interface TemplatesResult {
  createdCount: number;
  updatedCount: number;
  createdIds: string[];
  errors: { resourceId: string; title: string; error: string; record: string }[];
  warnings: string[];
  backgroundJob?: BackgroundJob;
}
interface ImportResult {
  dryRun: boolean;
  validRows: Record<string, string>[];
  invalidRows: (Record<string, string> & { reason: string })[];
  backgroundJob?: BackgroundJob;
}

function updateResult(response: SandboxResponse): TemplatesResult {
  return (response.body as { data: { APIBulkUpdateCertificateTemplates: TemplatesResult } }).data
    .APIBulkUpdateCertificateTemplates;
}
function createResult(response: SandboxResponse): TemplatesResult {
  return (response.body as { data: { APIBulkCreateCertificateTemplates: TemplatesResult } }).data
    .APIBulkCreateCertificateTemplates;
}
function importResult(response: SandboxResponse): ImportResult {
  return (response.body as { data: { APIBulkCourseGroupWebinarImport: ImportResult } }).data
    .APIBulkCourseGroupWebinarImport;
}
function jobOf(response: SandboxResponse): BackgroundJob {
  return (response.body as { data: { APIBackgroundJob: BackgroundJob } }).data.APIBackgroundJob;
}

// ---------------------------------------------------------------- tests

describe('seeded state', () => {
  it('holds a few hundred valid certificate templates with uuid ids', () => {
    const { sim } = setup();
    const templates = [...sim.state.templates.values()];
    expect(templates).toHaveLength(TEMPLATE_COUNT);
    expect(TEMPLATE_COUNT).toBeGreaterThanOrEqual(200);
    const validInput = schemaValidator('UpdateCertificateTemplateInput');
    for (const template of templates) {
      expect(validInput(template), JSON.stringify(template)).toBe(true);
      expect(template.title.trim()).not.toBe('');
      expect(template.expirationDays).toBeGreaterThanOrEqual(0);
    }
  });

  it('is the same for the same seed and differs for another', () => {
    const ids = (seed: number) => [...setup(seed).sim.state.templates.keys()];
    expect(ids(7)).toEqual(ids(7));
    expect(ids(7)).not.toEqual(ids(8));
  });

  it('knows course groups and the seeded import files', () => {
    const { sim } = setup();
    expect(sim.state.courseGroups.size).toBeGreaterThan(0);
    expect([...sim.state.assets.keys()]).toEqual(Object.keys(SEEDED_ASSETS));
  });
});

describe('authorization', () => {
  describe.each([
    { name: 'no key', sent: '' },
    { name: 'a wrong key', sent: 'ti_test_wrong' },
  ])('with $name', ({ sent }) => {
    it('answers 401 in the vendor shape without echoing the key', async () => {
      const { call } = setup();
      const response = await call('POST', UPDATE, { body: { templates: [] }, token: sent });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: 'unauthorized' });
      expect(JSON.stringify(response)).not.toContain(token);
      if (sent) expect(JSON.stringify(response)).not.toContain(sent);
    });
  });

  it('accepts the configured key', async () => {
    const { call } = setup();
    const response = await call('POST', UPDATE, { body: { templates: [] } });
    expect(response.status).toBe(200);
  });
});

describe('bulk update of certificate templates', () => {
  let harness: ReturnType<typeof setup>;
  let ids: string[];
  beforeEach(() => {
    harness = setup();
    ids = [...harness.sim.state.templates.keys()];
  });

  it('applies valid changes when the background job completes', async () => {
    const { ctx, sim, call } = harness;
    const [first, second] = ids as [string, string];
    const before = sim.state.templates.get(first)?.title;
    const response = await call('POST', UPDATE, {
      body: {
        templates: [
          { id: first, title: 'Renamed' },
          { id: second, expirationDays: 12 },
        ],
      },
    });
    const result = updateResult(response);
    expect(result).toMatchObject({ updatedCount: 2, createdCount: 0, createdIds: [], errors: [] });
    expect(result.backgroundJob?.status).toBe('pending');
    expect(sim.state.templates.get(first)?.title).toBe(before);

    ctx.advance(ctx.jobDurationMs);
    expect(sim.state.templates.get(first)?.title).toBe('Renamed');
    expect(sim.state.templates.get(second)?.expirationDays).toBe(12);
    expect(sim.state.writeCounts.get(first)).toBe(1);
    expect(sim.state.writeCounts.get(second)).toBe(1);
  });

  const NIL = '00000000-0000-0000-0000-000000000000';
  const unknownId = '11111111-1111-4111-8111-111111111111';
  describe.each([
    {
      name: 'an unknown id',
      entry: () => ({ id: unknownId, title: 'x' }),
      error: /not found/,
      known: false,
    },
    {
      name: 'an empty title',
      entry: (id: string) => ({ id, title: '  ' }),
      error: /title/,
      known: true,
    },
    {
      name: 'a negative expirationDays',
      entry: (id: string) => ({ id, expirationDays: -1 }),
      error: /expirationDays/,
      known: true,
    },
    {
      name: 'a fractional expirationDays',
      entry: (id: string) => ({ id, expirationDays: 1.5 }),
      error: /expirationDays/,
      known: true,
    },
    {
      name: 'an id that is not a uuid',
      entry: () => ({ id: 'tmpl-1' }),
      error: /uuid/,
      known: false,
    },
  ])('with $name', ({ entry, error, known }) => {
    it('reports the record in errors[] and applies the rest', async () => {
      const { ctx, sim, call } = harness;
      const [good, target] = ids as [string, string];
      const bad = entry(target);
      const response = await call('POST', UPDATE, {
        body: { templates: [{ id: good, description: 'changed' }, bad] },
      });
      const result = updateResult(response);
      expect(result.updatedCount).toBe(1);
      expect(result.errors).toHaveLength(1);
      const [reported] = result.errors;
      expect(reported?.error).toMatch(error);
      expect(JSON.parse(reported?.record ?? '')).toEqual(bad);
      const expectedId = known ? target : bad.id === unknownId ? unknownId : NIL;
      expect(reported?.resourceId).toBe(expectedId);
      expect(reported?.title).toBe(known ? sim.state.templates.get(target)?.title : '');

      ctx.advance(ctx.jobDurationMs);
      expect(sim.state.templates.get(good)?.description).toBe('changed');
      expect(sim.state.writeCounts.get(target)).toBeUndefined();
    });
  });

  it('warns about a template named twice and lets the last change win', async () => {
    const { ctx, sim, call } = harness;
    const [id] = ids as [string];
    const result = updateResult(
      await call('POST', UPDATE, {
        body: {
          templates: [
            { id, title: 'One' },
            { id, title: 'Two' },
          ],
        },
      }),
    );
    expect(result.warnings).toEqual([expect.stringContaining(id)]);
    ctx.advance(ctx.jobDurationMs);
    expect(sim.state.templates.get(id)?.title).toBe('Two');
    expect(sim.state.writeCounts.get(id)).toBe(2);
  });

  it('starts no job and warns for an empty batch', async () => {
    const { sim, call } = harness;
    const result = updateResult(await call('POST', UPDATE, { body: { templates: [] } }));
    expect(result.backgroundJob).toBeUndefined();
    expect(result.warnings).toHaveLength(1);
    expect(sim.state.jobs.size).toBe(0);
  });

  it('starts no job when every record is rejected', async () => {
    const { sim, call } = harness;
    const [id] = ids as [string];
    const result = updateResult(
      await call('POST', UPDATE, { body: { templates: [{ id, title: '' }] } }),
    );
    expect(result.updatedCount).toBe(0);
    expect(result.backgroundJob).toBeUndefined();
    expect(sim.state.jobs.size).toBe(0);
  });

  it('passes through fields beyond the documented ones', async () => {
    const { ctx, sim, call } = harness;
    const [id] = ids as [string];
    await call('POST', UPDATE, { body: { templates: [{ id, locale: 'de-DE' }] } });
    ctx.advance(ctx.jobDurationMs);
    expect(sim.state.templates.get(id)?.locale).toBe('de-DE');
  });
});

describe('background jobs', () => {
  async function startUpdate(harness: ReturnType<typeof setup>) {
    const [id] = [...harness.sim.state.templates.keys()] as [string];
    const response = await harness.call('POST', UPDATE, {
      body: { templates: [{ id, title: 'Polled' }] },
    });
    return { templateId: id, job: updateResult(response).backgroundJob as BackgroundJob };
  }

  it('moves pending -> running -> complete over jobMs of clock time', async () => {
    const harness = setup();
    const { ctx, call } = harness;
    ctx.jobDurationMs = 10_000;
    const { job } = await startUpdate(harness);
    const statusAfter = async (ms: number) => {
      ctx.advance(ms);
      return jobOf(await call('GET', JOB, { params: { id: job.id } })).status;
    };
    expect(await statusAfter(0)).toBe('pending');
    expect(await statusAfter(4_999)).toBe('pending');
    expect(await statusAfter(1)).toBe('running');
    expect(await statusAfter(4_999)).toBe('running');
    expect(await statusAfter(1)).toBe('complete');
    expect(await statusAfter(60_000)).toBe('complete');
  });

  it('fails with an errorMessage and writes nothing when the job was set to fail', async () => {
    const harness = setup();
    const { ctx, sim, call } = harness;
    const titleBefore = (id: string) => sim.state.templates.get(id)?.title;
    ctx.failNextJobs = [true];
    const { templateId, job } = await startUpdate(harness);
    const original = titleBefore(templateId);
    ctx.advance(ctx.jobDurationMs);
    const polled = jobOf(await call('GET', JOB, { params: { id: job.id } }));
    expect(polled.status).toBe('failed');
    expect(polled.errorMessage).toMatch(/\w/);
    expect(titleBefore(templateId)).toBe(original);
    expect(sim.state.writeCounts.size).toBe(0);
  });

  it('completes at once when jobMs is 0', async () => {
    const harness = setup();
    harness.ctx.jobDurationMs = 0;
    const { templateId, job } = await startUpdate(harness);
    expect(job.status).toBe('complete');
    expect(harness.sim.state.templates.get(templateId)?.title).toBe('Polled');
  });

  it('stamps createdAt from the context clock', async () => {
    const harness = setup();
    const { job } = await startUpdate(harness);
    expect(Date.parse(job.createdAt)).toBe(harness.ctx.now());
  });

  it('answers 404 in the vendor shape for an unknown job', async () => {
    const { call } = setup();
    const response = await call('GET', JOB, {
      params: { id: '22222222-2222-4222-8222-222222222222' },
    });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: 'not_found' });
  });
});

describe('bulk create of certificate templates', () => {
  it('returns the new ids at once and creates the templates when the job completes', async () => {
    const { ctx, sim, call } = setup();
    const response = await call('POST', CREATE, {
      body: {
        templates: [
          { title: 'Fresh one', expirationDays: 30 },
          { title: '' },
          { title: 'Fresh two' },
        ],
      },
    });
    const result = createResult(response);
    expect(result.createdCount).toBe(2);
    expect(result.createdIds).toHaveLength(2);
    expect(result.errors).toEqual([
      expect.objectContaining({
        resourceId: '00000000-0000-0000-0000-000000000000',
        error: expect.stringMatching(/title/),
      }),
    ]);
    const [firstId, secondId] = result.createdIds as [string, string];
    expect(sim.state.templates.has(firstId)).toBe(false);
    ctx.advance(ctx.jobDurationMs);
    expect(sim.state.templates.get(firstId)).toMatchObject({
      title: 'Fresh one',
      expirationDays: 30,
    });
    expect(sim.state.templates.get(secondId)?.title).toBe('Fresh two');
    expect(sim.state.templates.size).toBe(TEMPLATE_COUNT + 2);
    expect(sim.state.writeCounts.get(firstId)).toBe(1);
  });
});

describe('webinar import', () => {
  it('reports valid and invalid rows of the seeded file on a dry run, writing nothing', async () => {
    const { sim, call } = setup();
    const response = await call('POST', IMPORT, {
      body: { bulkImportAssetPath: 'imports/webinars-2024.csv', dryRun: true },
    });
    const result = importResult(response);
    expect(result.dryRun).toBe(true);
    expect(result.backgroundJob).toBeUndefined();
    expect(result.validRows.map((row) => row.title)).toEqual([
      'Welcome session',
      'Data protection, in practice',
      'Fire drill walkthrough',
      'Giving feedback',
    ]);
    expect(result.invalidRows.map((row) => row.reason)).toEqual([
      'title is empty',
      'unknown course group "marketing"',
      'startsAt must be an ISO 8601 date-time',
      'durationMinutes must be a whole number from 1 to 1440',
      'durationMinutes must be a whole number from 1 to 1440',
    ]);
    expect(sim.state.jobs.size).toBe(0);
    expect(sim.state.webinarsByAsset.size).toBe(0);
  });

  it('imports the valid rows of a file a test stored, when the job completes', async () => {
    const { ctx, sim, call } = setup();
    sim.state.assets.set(
      'imports/custom.csv',
      'title,courseGroupSlug,durationMinutes,startsAt\r\nKickoff,onboarding,30,2025-06-01T08:00:00Z\r\nBroken,nowhere,30,2025-06-01T08:00:00Z\r\n',
    );
    const response = await call('POST', IMPORT, {
      body: { bulkImportAssetPath: 'imports/custom.csv' },
    });
    const result = importResult(response);
    expect(result.dryRun).toBe(false);
    expect(result.validRows).toHaveLength(1);
    expect(result.invalidRows).toHaveLength(1);
    expect(result.backgroundJob?.status).toBe('pending');
    expect(sim.state.webinarsByAsset.get('imports/custom.csv')).toBeUndefined();
    ctx.advance(ctx.jobDurationMs);
    const webinars = sim.state.webinarsByAsset.get('imports/custom.csv');
    expect(webinars).toEqual([
      expect.objectContaining({
        title: 'Kickoff',
        courseGroupId: sim.state.courseGroups.get('onboarding')?.id,
        durationMinutes: 30,
        startsAt: '2025-06-01T08:00:00.000Z',
      }),
    ]);
  });

  it('creates nothing when the import job fails', async () => {
    const { ctx, sim, call } = setup();
    ctx.failNextJobs = [true];
    const result = importResult(
      await call('POST', IMPORT, { body: { bulkImportAssetPath: 'imports/webinars-2025.csv' } }),
    );
    ctx.advance(ctx.jobDurationMs);
    const job = jobOf(await call('GET', JOB, { params: { id: result.backgroundJob?.id ?? '' } }));
    expect(job.status).toBe('failed');
    expect(sim.state.webinarsByAsset.size).toBe(0);
  });

  describe.each([
    { name: 'an unknown asset path', asset: undefined, error: 'asset_not_found' },
    {
      name: 'a file without the required columns',
      asset: 'title,when\nA,2025-01-01',
      error: 'invalid_asset',
    },
  ])('with $name', ({ asset, error }) => {
    it('answers 422 in the vendor error shape', async () => {
      const { sim, call } = setup();
      if (asset !== undefined) sim.state.assets.set('imports/odd.csv', asset);
      const response = await call('POST', IMPORT, {
        body: { bulkImportAssetPath: 'imports/odd.csv' },
      });
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({
        error,
        message: expect.stringContaining('imports/odd.csv'),
      });
    });
  });
});

describe('errors the server asks for', () => {
  it('builds a 429 with retryAfter and Retry-After', () => {
    const { sim } = setup();
    const response = sim.error(429, 'Rate limit exceeded', { retryAfterMs: 31_200 });
    expect(response.status).toBe(429);
    expect(response.body).toMatchObject({ error: 'rate_limit_exceeded', retryAfter: 32 });
    expect(response.headers?.['Retry-After']).toBe('32');
    expect(schemaValidator('RateLimitErrorBody')(response.body)).toBe(true);
  });

  describe.each([400, 404, 413, 415, 500, 502, 503, 504])('status %i', (status) => {
    it('has the general error shape and a request id', () => {
      const { sim } = setup();
      const response = sim.error(status, 'Something happened');
      expect(response.status).toBe(status);
      expect(schemaValidator('ErrorBody')(response.body)).toBe(true);
      expect(response.headers?.['X-Request-Id']).toMatch(/\S/);
    });
  });

  it('sends Retry-After with a 503 when the server gives a wait', () => {
    const { sim } = setup();
    expect(sim.error(503, 'Down', { retryAfterMs: 5_000 }).headers?.['Retry-After']).toBe('5');
  });

  it('lists every spec problem of an invalid request', async () => {
    const { sim } = setup();
    const problems = [
      { pointer: '/templates/0/expirationDays', message: 'must be integer' },
      { pointer: '/templates/1/id', message: 'must match format "uuid"' },
    ];
    const request = { body: {} } as SandboxRequest;
    const response = sim.invalid(problems, request);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_request', details: problems });
    expect((response.body as { message: string }).message).toContain('/templates/0/expirationDays');
    expectMatchesSpec(sim.routes[0] as Route, response);
  });

  it('gives rate-limit headers in the vendor names, reset in Unix seconds', () => {
    const { sim } = setup();
    const headers = sim.rateLimitHeaders?.({
      window: {
        limit: 120,
        remaining: 0,
        windowMs: 60_000,
        resetAt: Date.UTC(2025, 2, 4, 10, 1, 0),
        retryAfterMs: 32_000,
      },
      refusedBy: 'window',
    });
    expect(headers).toEqual({
      'X-RateLimit-Limit': '120',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Date.UTC(2025, 2, 4, 10, 1, 0) / 1000),
    });
  });
});

describe('routes', () => {
  it('are exactly the paths of the spec', () => {
    const { sim } = setup();
    const fromSpec = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(sim.routes.map((route) => `${route.method} ${route.path}`).sort()).toEqual(
      fromSpec.sort(),
    );
    expect(
      sim.prefixes.every((prefix) => sim.routes.every((route) => route.path.startsWith(prefix))),
    ).toBe(true);
  });
});
