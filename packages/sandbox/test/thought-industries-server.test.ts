import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import {
  createThoughtIndustriesSimulator,
  type ThoughtIndustriesState,
} from '../src/thought-industries/index.js';

const token = 'ti_test_sandbox';
const jobMs = 2_000;

/** Reads a nested value of a JSON body: `dig(body, 'data', 'APIBackgroundJob', 'status')`. */
function dig(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>(
    (node, key) =>
      node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
    value,
  );
}

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function start(options: Parameters<typeof startSandbox>[0] = {}) {
  let now = Date.UTC(2025, 2, 4, 10, 0, 0);
  sandbox = await startSandbox({
    simulators: [createThoughtIndustriesSimulator],
    token,
    jobMs,
    validateResponses: 'throw',
    requireSpecs: true,
    clock: { now: () => now },
    ...options,
  });
  const started = sandbox;
  const state = () => started.state.thoughtIndustries as ThoughtIndustriesState;
  async function send(method: string, path: string, body?: unknown, auth = `Bearer ${token}`) {
    const response = await fetch(`${started.url}${path}`, {
      method,
      headers: {
        Authorization: auth,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as unknown,
    };
  }
  return { sandbox: started, state, send, advance: (ms: number) => (now += ms) };
}

describe('the Thought Industries simulator behind the sandbox server', () => {
  it('runs a bulk update through its background job, every answer matching the spec', async () => {
    const { sandbox, state, send, advance } = await start();
    const [id] = [...state().templates.keys()] as [string];
    const update = await send('POST', '/incoming/v2/content/certificate-templates/bulk/update', {
      templates: [{ id, title: 'Over the wire' }],
    });
    expect(update.status).toBe(200);
    const jobId = dig(
      update.body,
      'data',
      'APIBulkUpdateCertificateTemplates',
      'backgroundJob',
      'id',
    ) as string;
    expect(
      dig(
        (await send('GET', `/incoming/v2/jobs/${jobId}`)).body,
        'data',
        'APIBackgroundJob',
        'status',
      ),
    ).toBe('pending');
    advance(jobMs);
    expect(
      dig(
        (await send('GET', `/incoming/v2/jobs/${jobId}`)).body,
        'data',
        'APIBackgroundJob',
        'status',
      ),
    ).toBe('complete');
    expect(state().templates.get(id)?.title).toBe('Over the wire');
    expect(sandbox.violations).toEqual([]);
  });

  it('answers a dry run of the seeded import file', async () => {
    const { sandbox, send } = await start();
    const response = await send('POST', '/incoming/v2/content/courseGroup/webinar/bulk', {
      bulkImportAssetPath: 'imports/webinars-2024.csv',
      dryRun: true,
    });
    expect(response.status).toBe(200);
    expect(
      dig(response.body, 'data', 'APIBulkCourseGroupWebinarImport', 'invalidRows'),
    ).toHaveLength(5);
    expect(sandbox.violations).toEqual([]);
  });

  describe.each([
    { name: 'no key', auth: '', status: 401, error: 'unauthorized' },
    {
      name: 'a body that breaks the contract',
      body: { templates: [{ id: 'x', expirationDays: 'ten' }] },
      status: 400,
      error: 'invalid_request',
    },
  ])('with $name', ({ auth, body, status, error }) => {
    it(`answers ${status} in the vendor shape`, async () => {
      const { sandbox, send } = await start();
      const response = await send(
        'POST',
        '/incoming/v2/content/certificate-templates/bulk/update',
        body ?? { templates: [] },
        auth ?? `Bearer ${token}`,
      );
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ error, message: expect.any(String) });
      expect(sandbox.violations).toEqual([]);
    });
  });

  it('answers 404 for an unknown job and 400 for an id that is not a uuid', async () => {
    const { send } = await start();
    expect(
      (await send('GET', '/incoming/v2/jobs/33333333-3333-4333-8333-333333333333')).status,
    ).toBe(404);
    expect((await send('GET', '/incoming/v2/jobs/not-a-uuid')).status).toBe(400);
  });

  it('rate-limits with the vendor headers and a retryAfter body', async () => {
    const { sandbox, send } = await start({ rateLimit: { requests: 1, perMs: 60_000 } });
    await send('POST', '/incoming/v2/content/certificate-templates/bulk/update', { templates: [] });
    const limited = await send('POST', '/incoming/v2/content/certificate-templates/bulk/update', {
      templates: [],
    });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      error: 'rate_limit_exceeded',
      retryAfter: expect.any(Number),
    });
    expect(limited.headers.get('retry-after')).toBe(String(dig(limited.body, 'retryAfter')));
    expect(limited.headers.get('x-ratelimit-limit')).toBe('1');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    expect(sandbox.violations).toEqual([]);
  });

  it('answers an injected 503 in the vendor shape', async () => {
    const { sandbox, send } = await start({ errorRate: 1, errorStatuses: [503] });
    const response = await send('GET', '/incoming/v2/jobs/33333333-3333-4333-8333-333333333333');
    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ error: 'service_unavailable' });
    expect(sandbox.violations).toEqual([]);
  });
});
