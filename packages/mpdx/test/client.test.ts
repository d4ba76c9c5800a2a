import { inspect } from 'node:util';
import { rateLimiterOf } from '@bulk-clients/core';
import { type CannedResponse, createRecordingFetch } from '@bulk-clients/core/testing';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  createMpdxClient,
  isBulkResultError,
  type MpdxApi,
  mpdxDefaults,
  type NotificationPreferencesBulkRequest,
  type NotificationPreferencesBulkResponse,
  unwrap,
} from '../src/index.js';
import { documentedResponses, operations, requestExample } from './spec-examples.js';

/** MPDX answers with the JSON:API media type. */
const jsonApi = { contentType: mpdxDefaults.mediaType };

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c2FuZGJveC10b2tlbg.c2lnbmF0dXJl';
const BASE_URL = 'http://127.0.0.1:4010';
const ACCOUNT_LIST_ID = 'bb9d4ccd-4739-4481-88fb-d6503e7ee67b';
const PREFERENCE_ID = '6333be88-4c01-4a85-99ce-f6aa964e6340';
const MEDIA_TYPE = 'application/vnd.api+json';

const bulkBody = requestExample(
  'bulkCreateNotificationPreferences',
) as NotificationPreferencesBulkRequest;

interface Call {
  send(api: MpdxApi): Promise<{ data?: unknown; error?: unknown; response: Response }>;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

// How each operation is called, and what must go over the wire for it.
const calls: Record<string, Call> = {
  listAccountLists: {
    send: (api) =>
      api.GET('/api/v2/account_lists', { params: { query: { page: 2, per_page: 50 } } }),
    method: 'GET',
    path: '/api/v2/account_lists',
    query: { page: '2', per_page: '50' },
    body: undefined,
  },
  listNotificationPreferences: {
    send: (api) =>
      api.GET('/api/v2/account_lists/{account_list_id}/notification_preferences', {
        params: { path: { account_list_id: ACCOUNT_LIST_ID }, query: { page: 3 } },
      }),
    method: 'GET',
    path: `/api/v2/account_lists/${ACCOUNT_LIST_ID}/notification_preferences`,
    query: { page: '3' },
    body: undefined,
  },
  getNotificationPreference: {
    send: (api) =>
      api.GET('/api/v2/account_lists/{account_list_id}/notification_preferences/{id}', {
        params: { path: { account_list_id: ACCOUNT_LIST_ID, id: PREFERENCE_ID } },
      }),
    method: 'GET',
    path: `/api/v2/account_lists/${ACCOUNT_LIST_ID}/notification_preferences/${PREFERENCE_ID}`,
    query: {},
    body: undefined,
  },
  bulkCreateNotificationPreferences: {
    send: (api) =>
      api.POST('/api/v2/account_lists/{account_list_id}/notification_preferences/bulk', {
        params: { path: { account_list_id: ACCOUNT_LIST_ID } },
        body: bulkBody,
      }),
    method: 'POST',
    path: `/api/v2/account_lists/${ACCOUNT_LIST_ID}/notification_preferences/bulk`,
    query: {},
    body: bulkBody,
  },
  listNotificationTypes: {
    send: (api) => api.GET('/api/v2/notification_types'),
    method: 'GET',
    path: '/api/v2/notification_types',
    query: {},
    body: undefined,
  },
};

function clientAnswering(canned: CannedResponse) {
  const fake = createRecordingFetch(() => canned, jsonApi);
  const client = createMpdxClient({ token: TOKEN, baseUrl: BASE_URL, fetch: fake.fetch });
  return { client, requests: fake.requests };
}

function callFor(operationId: string): Call {
  const call = calls[operationId];
  if (!call) throw new Error(`No call for ${operationId}`);
  return call;
}

describe('the operation table', () => {
  it('covers every operation in the spec', () => {
    expect(Object.keys(calls).sort()).toEqual(
      operations()
        .map(([id]) => id)
        .sort(),
    );
  });

  it.each(operations())('%s is sent as %s %s', (operationId, method, template) => {
    const call = callFor(operationId);
    expect(call.method).toBe(method);
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    expect(call.path).toMatch(pattern);
  });
});

describe.each(Object.entries(calls))('%s', (_operationId, call) => {
  it('sends the method, path and query the spec documents', async () => {
    const { client, requests } = clientAnswering({ status: 200, body: {} });
    await call.send(client.api);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe(call.method);
    expect(request?.url.origin).toBe(BASE_URL);
    expect(request?.url.pathname).toBe(call.path);
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual(call.query);
  });

  it('authenticates with the bearer token and asks for JSON:API', async () => {
    const { client, requests } = clientAnswering({ status: 200, body: {} });
    await call.send(client.api);
    const headers = requests[0]?.headers;
    expect(headers?.get('authorization')).toBe(`Bearer ${TOKEN}`);
    expect(headers?.get('accept')).toBe(MEDIA_TYPE);
  });

  it('sends the JSON:API body with its media type, or no body', async () => {
    const { client, requests } = clientAnswering({ status: 200, body: {} });
    await call.send(client.api);
    const request = requests[0];
    expect(request?.body).toEqual(call.body);
    const contentType = request?.headers.get('content-type') ?? null;
    expect(contentType).toBe(call.body === undefined ? null : MEDIA_TYPE);
  });
});

const successes = documentedResponses().filter(({ status }) => status < 300);
const failures = documentedResponses().filter(({ status }) => status >= 300);

describe.each(successes)('$operationId answering $status ($example)', (documented) => {
  it('parses the documented body', async () => {
    const { client } = clientAnswering({ status: documented.status, body: documented.body });
    const result = await callFor(documented.operationId).send(client.api);
    expect(result.error).toBeUndefined();
    expect(unwrap(result)).toEqual(documented.body);
  });
});

describe.each(failures)('$operationId answering $status', (documented) => {
  async function failure(headers: Record<string, string> = {}): Promise<ApiError> {
    const { client } = clientAnswering({
      status: documented.status,
      body: documented.body,
      headers: { 'X-Request-Id': 'req-7f3a', ...headers },
    });
    const result = await callFor(documented.operationId).send(client.api);
    try {
      unwrap(result);
    } catch (error) {
      if (error instanceof ApiError) return error;
      throw error;
    }
    throw new Error('unwrap did not throw');
  }

  it('throws an ApiError with the status, the JSON:API body and the request id', async () => {
    const error = await failure();
    expect(error.status).toBe(documented.status);
    expect(error.body).toEqual(documented.body);
    expect(error.requestId).toBe('req-7f3a');
    expect(error.method).toBe(callFor(documented.operationId).method);
    const detail = (documented.body as { errors: { detail?: string }[] }).errors[0]?.detail;
    expect(error.message).toContain(detail);
  });

  it('keeps the token out of the message, the stack and inspect', async () => {
    const error = await failure();
    expect(error.message).not.toContain(TOKEN);
    expect(error.stack ?? '').not.toContain(TOKEN);
    expect(inspect(error, { depth: 10 })).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
  });

  it('reads how long to wait from the rate-limit headers', async () => {
    const error = await failure({ 'Retry-After': '12' });
    expect(error.retryAfterMs).toBe(12_000);
  });
});

describe('createMpdxClient', () => {
  it('talks to the production host unless told otherwise', async () => {
    const fake = createRecordingFetch(() => ({ status: 200, body: { data: [] } }), jsonApi);
    const client = createMpdxClient({ token: TOKEN, fetch: fake.fetch });
    await client.api.GET('/api/v2/notification_types');
    expect(client.baseUrl).toBe('https://api.mpdx.org');
    expect(fake.requests[0]?.url.href).toBe('https://api.mpdx.org/api/v2/notification_types');
  });

  it('sends extra headers with every request', async () => {
    const fake = createRecordingFetch(() => ({ status: 200, body: { data: [] } }), jsonApi);
    const client = createMpdxClient({
      token: TOKEN,
      baseUrl: BASE_URL,
      fetch: fake.fetch,
      headers: { 'User-Agent': 'bulk-clients-test' },
    });
    await client.api.GET('/api/v2/notification_types');
    expect(fake.requests[0]?.headers.get('user-agent')).toBe('bulk-clients-test');
  });

  it.each([
    ['an empty token', { token: '' }, /`token`/],
    ['a token over two lines', { token: 'a\nb' }, /`token`/],
    [
      'a base URL with a path',
      { token: TOKEN, baseUrl: 'https://api.mpdx.org/api/v2' },
      /`baseUrl`/,
    ],
    ['a base URL that is not a URL', { token: TOKEN, baseUrl: 'api.mpdx.org' }, /`baseUrl`/],
  ])('rejects %s with a TypeError naming the argument', (_name, options, message) => {
    expect(() => createMpdxClient(options)).toThrow(TypeError);
    expect(() => createMpdxClient(options)).toThrow(message);
  });

  it('keeps the token out of inspect', () => {
    const client = createMpdxClient({ token: TOKEN, baseUrl: BASE_URL });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(TOKEN);
  });
});

describe('isBulkResultError', () => {
  const mixed = successes.find(
    (documented) =>
      documented.operationId === 'bulkCreateNotificationPreferences' &&
      documented.example === 'mixed',
  )?.body as NotificationPreferencesBulkResponse;

  it('tells refused members from created ones', () => {
    expect(mixed.map(isBulkResultError)).toEqual([false, true]);
  });

  it('narrows to the error document with the client id', () => {
    const refused = mixed.filter(isBulkResultError);
    expect(refused.map((result) => [result.id, result.errors[0]?.status])).toEqual([
      ['1d6393dd-f3f4-49d3-9fd8-7e758b056b1f', '409'],
    ]);
  });
});

describe('rate limiting', () => {
  it('applies the default budget to every request', () => {
    const client = createMpdxClient({ token: TOKEN, baseUrl: BASE_URL });
    expect(client.limiter).toBe(rateLimiterOf(client.api));
    expect(client.limiter?.budget).toMatchObject({
      requests: mpdxDefaults.rateLimit.requests,
      perMs: mpdxDefaults.rateLimit.perMs,
    });
  });

  it('takes a budget of the caller or none', () => {
    const own = createMpdxClient({ token: TOKEN, rateLimit: { requests: 5, perMs: 1_000 } });
    expect(own.limiter?.budget.requests).toBe(5);
    const none = createMpdxClient({ token: TOKEN, rateLimit: false });
    expect(none.limiter).toBeUndefined();
  });

  it('counts a request against the budget', async () => {
    const { client } = clientAnswering({ status: 200, body: { data: [] } });
    await client.api.GET('/api/v2/notification_types');
    expect(rateLimiterOf(client.api)?.stats.granted).toBe(1);
  });
});
