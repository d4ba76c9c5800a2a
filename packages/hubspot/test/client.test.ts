import { inspect } from 'node:util';
import {
  ApiError,
  type FetchResultLike,
  type RateLimiter,
  rateLimiterOf,
} from '@bulk-clients/core';
import { createRecordingFetch } from '@bulk-clients/core/testing';
import { describe, expect, it } from 'vitest';
import {
  createHubSpotClient,
  type HubSpotClient,
  hasBatchErrors,
  hubSpotDefaults,
  type TicketBatchArchiveRequest,
  type TicketBatchCreateRequest,
  type TicketBatchReadRequest,
  type TicketBatchUpdateRequest,
  type TicketBatchUpsertRequest,
  unwrapHubSpot,
} from '../src/index.js';
import {
  batchResult,
  batchResultWithErrors,
  errorBodies,
  rateLimitBody,
  rateLimitHeaders,
  TOKEN,
  ticket,
  ticketWithAssociations,
  upsertResult,
  upsertResultWithErrors,
} from './fixtures.js';

const BASE_URL = 'http://127.0.0.1:4010';

function setup() {
  const fake = createRecordingFetch();
  const client = createHubSpotClient({ token: TOKEN, baseUrl: BASE_URL, fetch: fake.fetch });
  return { fake, client };
}

interface OperationCase {
  name: string;
  call: (client: HubSpotClient) => Promise<FetchResultLike<unknown, unknown>>;
  method: string;
  path: string;
  query?: Record<string, string[]>;
  body?: unknown;
  /** Documented 2xx answers: status and body (undefined for 204). */
  successes: { status: number; body?: unknown }[];
}

const updateBody: TicketBatchUpdateRequest = {
  inputs: [
    { id: '512', properties: { hs_pipeline_stage: '2', content: '' } },
    { id: 'EXT-000042', idProperty: 'external_ref', objectWriteTraceId: 'row-42', properties: {} },
  ],
};
const readBody: TicketBatchReadRequest = {
  inputs: [{ id: '512' }, { id: '999999' }],
  properties: ['subject'],
  propertiesWithHistory: [],
};
const createBody: TicketBatchCreateRequest = {
  inputs: [
    {
      properties: { subject: 'Cannot log in', external_ref: 'EXT-900001' },
      associations: [
        {
          to: { id: '201' },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 16 }],
        },
      ],
    },
  ],
};
const upsertBody: TicketBatchUpsertRequest = {
  inputs: [
    { id: 'EXT-000042', idProperty: 'external_ref', properties: { hs_ticket_priority: 'LOW' } },
  ],
};
const archiveBody: TicketBatchArchiveRequest = { inputs: [{ id: '512' }, { id: '513' }] };

const operations: OperationCase[] = [
  {
    name: 'batch update',
    call: (c) => c.api.POST('/crm/v3/objects/tickets/batch/update', { body: updateBody }),
    method: 'POST',
    path: '/crm/v3/objects/tickets/batch/update',
    body: updateBody,
    successes: [
      { status: 200, body: batchResult([ticket('512', { hs_pipeline_stage: '2' })]) },
      { status: 207, body: batchResultWithErrors([ticket('512')], ['EXT-000042']) },
    ],
  },
  {
    name: 'batch read',
    call: (c) =>
      c.api.POST('/crm/v3/objects/tickets/batch/read', {
        body: readBody,
        params: { query: { archived: false } },
      }),
    method: 'POST',
    path: '/crm/v3/objects/tickets/batch/read',
    query: { archived: ['false'] },
    body: readBody,
    successes: [
      { status: 200, body: batchResult([ticket('512', { subject: 'Hello' })]) },
      { status: 207, body: batchResultWithErrors([ticket('512')], ['999999']) },
    ],
  },
  {
    name: 'batch create',
    call: (c) => c.api.POST('/crm/v3/objects/tickets/batch/create', { body: createBody }),
    method: 'POST',
    path: '/crm/v3/objects/tickets/batch/create',
    body: createBody,
    successes: [
      { status: 201, body: batchResult([ticket('5001', { subject: 'Cannot log in' })]) },
      { status: 207, body: batchResultWithErrors([], ['0']) },
    ],
  },
  {
    name: 'batch upsert',
    call: (c) => c.api.POST('/crm/v3/objects/tickets/batch/upsert', { body: upsertBody }),
    method: 'POST',
    path: '/crm/v3/objects/tickets/batch/upsert',
    body: upsertBody,
    successes: [
      { status: 200, body: upsertResult('42', false) },
      { status: 207, body: upsertResultWithErrors(['EXT-000042']) },
    ],
  },
  {
    name: 'batch archive',
    call: (c) => c.api.POST('/crm/v3/objects/tickets/batch/archive', { body: archiveBody }),
    method: 'POST',
    path: '/crm/v3/objects/tickets/batch/archive',
    body: archiveBody,
    successes: [{ status: 204 }],
  },
  {
    name: 'get ticket',
    call: (c) =>
      c.api.GET('/crm/v3/objects/tickets/{ticketId}', {
        params: {
          path: { ticketId: 'EXT-000042' },
          query: { properties: ['subject', 'content'], idProperty: 'external_ref' },
        },
      }),
    method: 'GET',
    path: '/crm/v3/objects/tickets/EXT-000042',
    query: { properties: ['subject', 'content'], idProperty: ['external_ref'] },
    successes: [{ status: 200, body: ticketWithAssociations('42') }],
  },
];

describe.each(operations)('$name', (op) => {
  it('sends the method, full path, bearer token, JSON content type and body', async () => {
    const { fake, client } = setup();
    const first = op.successes[0]!;
    fake.respondWith(first);
    await op.call(client);
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.method).toBe(op.method);
    expect(request.url.origin).toBe(BASE_URL);
    expect(request.url.pathname).toBe(op.path);
    expect(queryOf(request.url)).toEqual(op.query ?? {});
    expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(request.headers.get('accept')).toBe('application/json');
    if (op.body === undefined) {
      expect(request.body).toBeUndefined();
    } else {
      expect(request.headers.get('content-type')).toBe('application/json');
      expect(request.body).toEqual(op.body);
    }
  });

  it.each(op.successes)('parses a documented $status answer', async ({ status, body }) => {
    const { fake, client } = setup();
    fake.respondWith({ status, body });
    const result = await op.call(client);
    expect(result.response.status).toBe(status);
    expect(unwrapHubSpot(result)).toEqual(body);
  });

  const failures: {
    status: number;
    body: { message: string };
    headers: Record<string, string>;
    requestId: string;
  }[] = [
    { status: 400, body: errorBodies[400], headers: {}, requestId: errorBodies[400].correlationId },
    { status: 401, body: errorBodies[401], headers: {}, requestId: errorBodies[401].correlationId },
    {
      status: 429,
      body: rateLimitBody,
      headers: rateLimitHeaders,
      requestId: rateLimitBody.correlationId,
    },
    {
      status: 500,
      body: errorBodies[500],
      headers: { 'X-HubSpot-Correlation-Id': 'c0ffee00-0000-4000-8000-000000000000' },
      requestId: 'c0ffee00-0000-4000-8000-000000000000',
    },
  ];
  it.each(failures)(
    'throws an ApiError carrying a $status answer',
    async ({ status, body, headers, requestId }) => {
      const { fake, client } = setup();
      fake.respondWith({ status, body, headers });
      const result = await op.call(client);
      const error = catchError(() => unwrapHubSpot(result));
      expect(error).toBeInstanceOf(ApiError);
      expect(error.status).toBe(status);
      expect(error.method).toBe(op.method);
      expect(error.body).toEqual(body);
      expect(error.requestId).toBe(requestId);
      expect(error.message).toContain(body.message);
      expect(error.message).toContain(op.path);
      expectNoToken(error);
    },
  );
});

describe('rate-limited answers', () => {
  it('carry the wait from the interval header, since HubSpot sends no Retry-After', async () => {
    const { fake, client } = setup();
    fake.respondWith({ status: 429, body: rateLimitBody, headers: rateLimitHeaders });
    const result = await client.api.POST('/crm/v3/objects/tickets/batch/update', {
      body: updateBody,
    });
    const error = catchError(() => unwrapHubSpot(result));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(
      Number(rateLimitHeaders['X-HubSpot-RateLimit-Interval-Milliseconds']),
    );
  });
});

describe('a 404 from a single read', () => {
  it('throws an ApiError with the HubSpot body and code not_found', async () => {
    const { fake, client } = setup();
    fake.respondWith({ status: 404, body: errorBodies[404] });
    const result = await client.api.GET('/crm/v3/objects/tickets/{ticketId}', {
      params: { path: { ticketId: '999999' } },
    });
    const error = catchError(() => unwrapHubSpot(result));
    expect(error.code).toBe('not_found');
    expect(error.body).toEqual(errorBodies[404]);
    expect(error.requestId).toBe(errorBodies[404].correlationId);
    expectNoToken(error);
  });
});

describe('hasBatchErrors', () => {
  it.each([
    { kind: '200', value: batchResult([ticket('1')]), expected: false },
    { kind: '207', value: batchResultWithErrors([], ['1']), expected: true },
  ])('tells a $kind answer apart', ({ value, expected }) => {
    expect(hasBatchErrors(value)).toBe(expected);
  });
});

describe('createHubSpotClient', () => {
  it('defaults to the production host', async () => {
    const fake = createRecordingFetch();
    const client = createHubSpotClient({ token: TOKEN, fetch: fake.fetch });
    fake.respondWith({ status: 204 });
    await client.api.POST('/crm/v3/objects/tickets/batch/archive', { body: archiveBody });
    expect(fake.requests[0]!.url.origin).toBe(hubSpotDefaults.baseUrl);
    expect(client.baseUrl).toBe(hubSpotDefaults.baseUrl);
  });

  it('reports the origin it was given', () => {
    expect(setup().client.baseUrl).toBe(BASE_URL);
  });

  it('sends extra headers with every request', async () => {
    const fake = createRecordingFetch();
    const client = createHubSpotClient({
      token: TOKEN,
      fetch: fake.fetch,
      headers: { 'User-Agent': 'acme/1.0' },
    });
    fake.respondWith({ status: 204 });
    await client.api.POST('/crm/v3/objects/tickets/batch/archive', { body: archiveBody });
    expect(fake.requests[0]!.headers.get('user-agent')).toBe('acme/1.0');
  });

  it('keeps the token out of util.inspect', () => {
    const { client } = setup();
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(TOKEN);
  });

  it.each([
    { argument: 'token', options: { token: '' } },
    { argument: 'baseUrl', options: { token: TOKEN, baseUrl: 'https://api.hubapi.com/crm/v3' } },
  ])('rejects a bad $argument with a TypeError naming it', ({ argument, options }) => {
    expect(() => createHubSpotClient(options)).toThrow(TypeError);
    expect(() => createHubSpotClient(options)).toThrow(argument);
  });
});

function catchError(fn: () => unknown): ApiError<{ message: string }> {
  try {
    fn();
  } catch (error) {
    return error as ApiError<{ message: string }>;
  }
  throw new Error('expected the call to throw');
}

function expectNoToken(error: Error): void {
  expect(error.message).not.toContain(TOKEN);
  expect(error.stack ?? '').not.toContain(TOKEN);
  expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(TOKEN);
  expect(JSON.stringify(error)).not.toContain(TOKEN);
}

function queryOf(url: URL): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
  return query;
}

describe('rate limiting', () => {
  it('applies HubSpot’s documented budget by default', () => {
    const { client } = setup();
    expect(rateLimiterOf(client.api)?.budget).toEqual({
      requests: hubSpotDefaults.rateLimit.requests,
      perMs: hubSpotDefaults.rateLimit.perMs,
      source: 'default',
    });
  });

  it('shows its limiter as `limiter`, the one core finds for its `api`', () => {
    const client = createHubSpotClient({ token: TOKEN });
    expect(client.limiter).toBeDefined();
    expect(client.limiter).toBe(rateLimiterOf(client.api));
    expect(createHubSpotClient({ token: TOKEN, rateLimit: false }).limiter).toBeUndefined();
  });

  it('takes a budget of the caller, or none', () => {
    const own = createHubSpotClient({ token: TOKEN, rateLimit: { requests: 190, perMs: 10_000 } });
    expect(rateLimiterOf(own.api)?.budget).toMatchObject({ requests: 190, source: 'configured' });
    const none = createHubSpotClient({ token: TOKEN, rateLimit: false });
    expect(rateLimiterOf(none.api)).toBeUndefined();
  });

  it('counts requests and pauses for the reported window after a 429', async () => {
    const { fake, client } = setup();
    fake.respondWith({ status: 429, body: rateLimitBody, headers: rateLimitHeaders });
    await client.api.POST('/crm/v3/objects/tickets/batch/archive', { body: archiveBody });
    const limiter = client.limiter as RateLimiter | undefined;
    expect(limiter?.stats.granted).toBe(1);
    expect(limiter?.stats.throttled).toBe(1);
    const windowMs = Number(rateLimitHeaders['X-HubSpot-RateLimit-Interval-Milliseconds']);
    expect(limiter?.pausedForMs).toBeGreaterThan(windowMs - 1_000);
    expect(limiter?.pausedForMs).toBeLessThanOrEqual(windowMs);
  });

  it('holds requests back once a success reports the window spent by other clients', async () => {
    const { fake, client } = setup();
    fake.respondWith({ status: 204, headers: rateLimitHeaders });
    await client.api.POST('/crm/v3/objects/tickets/batch/archive', { body: archiveBody });
    const limiter = rateLimiterOf(client.api) as RateLimiter;
    // One request of ours cannot explain a spent window: the others' sends are counted too.
    expect(limiter.nextFreeInMs).toBeGreaterThan(9_000);
    expect(limiter.stats.throttled).toBe(0);
  });

  it('learns the budget the headers state and follows it', async () => {
    const { fake, client } = setup();
    fake.respondWith({
      status: 204,
      headers: {
        'X-HubSpot-RateLimit-Max': '190',
        'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
        'X-HubSpot-RateLimit-Remaining': '189',
        'X-HubSpot-RateLimit-Daily': '500000',
        'X-HubSpot-RateLimit-Daily-Remaining': '499999',
      },
    });
    await client.api.POST('/crm/v3/objects/tickets/batch/archive', { body: archiveBody });
    expect(rateLimiterOf(client.api)?.budget).toEqual({
      requests: 190,
      perMs: 10_000,
      source: 'learned',
      daily: { limit: 500_000, remaining: 499_999 },
    });
  });

  it('stops at a 429 whose policy is DAILY', async () => {
    const { fake, client } = setup();
    fake.respondWith({
      status: 429,
      body: { status: 'error', message: 'daily', errorType: 'RATE_LIMIT', policyName: 'DAILY' },
      headers: {
        'X-HubSpot-RateLimit-Daily': '500000',
        'X-HubSpot-RateLimit-Daily-Remaining': '0',
      },
    });
    await client.api.POST('/crm/v3/objects/tickets/batch/archive', { body: archiveBody });
    const limiter = rateLimiterOf(client.api);
    expect(limiter?.stopped?.code).toBe('daily_limit');
    await expect(
      client.api.POST('/crm/v3/objects/tickets/batch/archive', { body: archiveBody }),
    ).rejects.toThrow(/daily request limit/);
  });
});
