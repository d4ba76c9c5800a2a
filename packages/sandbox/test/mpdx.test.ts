import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMpdxSimulator, type MpdxState } from '../src/mpdx/index.js';
import type {
  Route,
  SandboxRequest,
  SandboxResponse,
  SimulatorContext,
  VendorSimulator,
} from '../src/types.js';
import { type Json, loadSpecSchemas } from './fixtures/spec-schemas.js';

const TOKEN = 'sandbox-token';
const MEDIA_TYPE = 'application/vnd.api+json';
const START = Date.UTC(2022, 0, 12, 17, 18, 31);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const BULK = '/api/v2/account_lists/{account_list_id}/notification_preferences/bulk';
const LIST = '/api/v2/account_lists/{account_list_id}/notification_preferences';
const READ = '/api/v2/account_lists/{account_list_id}/notification_preferences/{id}';

// --- the contract: responses are checked against specs/mpdx/openapi.yaml -----------------------

const { spec, deref, validator: schemaValidator } = loadSpecSchemas('mpdx');

/** The `$ref` of the body schema the spec documents for this route and status. */
function documentedSchema(route: Pick<Route, 'method' | 'path'>, status: number): string {
  const operation = (spec.paths as Record<string, Json>)[route.path]?.[route.method.toLowerCase()];
  const responses = (operation as Json | undefined)?.responses as Record<string, Json> | undefined;
  // An exact status first, then its range (`5XX`), as OpenAPI resolves them.
  const response = responses?.[String(status)] ?? responses?.[`${String(status)[0]}XX`];
  if (!response) throw new Error(`${route.method} ${route.path} does not document ${status}`);
  const media = (deref(response).content as Record<string, Json>)[MEDIA_TYPE];
  if (!media)
    throw new Error(`${route.method} ${route.path} has no ${MEDIA_TYPE} body for ${status}`);
  return (media.schema as Json).$ref as string;
}

function expectValid(ref: string, body: unknown): void {
  const validate = schemaValidator(ref);
  const valid = validate(body);
  expect(validate.errors ?? [], `body against ${ref}`).toEqual([]);
  expect(valid).toBe(true);
}

function expectDocumented(route: Pick<Route, 'method' | 'path'>, response: SandboxResponse): void {
  expectValid(documentedSchema(route, response.status), response.body);
  expect(response.headers?.['X-Request-Id']).toMatch(UUID);
}

// --- a deterministic context with a clock the test moves -----------------------------------

function fakeContext(seed: number) {
  let state = seed >>> 0;
  let now = START;
  const random = () => {
    // A linear congruential generator: plenty for test data.
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
  const uuid = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  const ctx: SimulatorContext = {
    now: () => now,
    random,
    uuid,
    jobMs: () => 0,
    jobShouldFail: () => false,
  };
  return { ctx, advance: (ms: number) => (now += ms) };
}

interface Send {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  token?: string | undefined;
  contentType?: string;
}

function setup(seed = 7) {
  const { ctx, advance } = fakeContext(seed);
  const simulator = createMpdxSimulator(ctx, { token: TOKEN });
  const accountLists = [...simulator.state.accountLists.keys()];
  const types = [...simulator.state.notificationTypes.keys()];

  /** Sends a request the way the server does: authorize, then the route's handler. */
  async function send(method: Route['method'], path: string, options: Send = {}) {
    const route = simulator.routes.find((r) => r.method === method && r.path === path);
    if (!route) throw new Error(`No route ${method} ${path}`);
    const raw = options.body === undefined ? '' : JSON.stringify(options.body);
    const request: SandboxRequest = {
      method,
      path,
      params: options.params ?? {},
      query: new URLSearchParams(options.query),
      headers: raw === '' ? {} : { 'content-type': options.contentType ?? MEDIA_TYPE },
      body: options.body,
      rawBody: Buffer.from(raw),
      token: 'token' in options ? options.token : TOKEN,
    };
    const response = simulator.authorize(request, route) ?? (await route.handle(request));
    expectDocumented(route, response);
    return response;
  }

  function bulk(members: unknown[], accountListId = accountLists[0] as string) {
    return send('POST', BULK, {
      params: { account_list_id: accountListId },
      body: { data: members },
    });
  }

  return { simulator, ctx, advance, accountLists, types, send, bulk };
}

/** A valid bulk member, with `overrides` merged into its resource object. */
function member(id: string, typeId: string, overrides: Json = {}): Json {
  return {
    data: {
      type: 'notification_preferences',
      id,
      attributes: { app: true, email: false, task: true },
      relationships: { notification_type: { data: { type: 'notification_types', id: typeId } } },
      ...overrides,
    },
  };
}

function ids(count: number): string[] {
  return Array.from({ length: count }, () => randomUUID());
}

type Results = Json[];

// --- the tests --------------------------------------------------------------------------------

describe('routes', () => {
  const { simulator } = setup();
  const documented = Object.entries(spec.paths as Record<string, Json>).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
  );

  it('serve exactly the operations of the spec, with its path templates', () => {
    expect(simulator.routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
  });

  it('describe the vendor', () => {
    expect(simulator.name).toBe('mpdx');
    expect(simulator.mediaType).toBe(MEDIA_TYPE);
    expect(simulator.prefixes).toEqual(['/api/v2/']);
  });

  it('leave bulk validation to the handler, which refuses members one by one', () => {
    const byPath = new Map(simulator.routes.map((r) => [r.path, r.validateRequest]));
    expect(byPath.get(BULK)).toBe(false);
    expect(byPath.get(LIST)).toBeUndefined();
  });
});

describe('seeded state', () => {
  it('holds a few account lists and a dozen notification types with uuid ids', () => {
    const { simulator } = setup();
    const lists = [...simulator.state.accountLists.values()];
    const types = [...simulator.state.notificationTypes.values()];
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(types.length).toBeGreaterThanOrEqual(12);
    for (const record of [...lists, ...types]) {
      expect(record.id).toMatch(UUID);
      expect(record.name).not.toBe('');
      expect(record.createdAt).toBeLessThanOrEqual(START);
    }
    expect(new Set(types.map((t) => t.name)).size).toBe(types.length);
    expect(simulator.state.preferences.size).toBe(0);
  });

  it('is the same for the same seed and differs for another', () => {
    const keys = (seed: number) => {
      const { simulator } = setup(seed);
      return [...simulator.state.accountLists.keys(), ...simulator.state.notificationTypes.keys()];
    };
    expect(keys(11)).toEqual(keys(11));
    expect(keys(11)).not.toEqual(keys(12));
  });

  describe('draws on the context only', () => {
    beforeEach(() => {
      vi.spyOn(Math, 'random');
      vi.spyOn(Date, 'now');
    });
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('never on the global clock or randomness', async () => {
      const { bulk, types, send } = setup();
      await bulk([member(randomUUID(), types[0] as string)]);
      await send('GET', '/api/v2/notification_types');
      expect(Math.random).not.toHaveBeenCalled();
      expect(Date.now).not.toHaveBeenCalled();
    });
  });
});

describe('bulk create', () => {
  it('creates every member and answers one result per member, in order', async () => {
    const { bulk, types, simulator, accountLists } = setup();
    const [a, b, c] = ids(3) as [string, string, string];
    const response = await bulk([
      member(a, types[0] as string),
      member(b, types[1] as string, { attributes: { email: true } }),
      member(c, types[2] as string, { attributes: {} }),
    ]);
    expect(response.status).toBe(200);
    const results = response.body as Results;
    expect(results.map((r) => (r.data as Json).id)).toEqual([a, b, c]);
    expect(results[1]).toEqual({
      data: {
        id: b,
        type: 'notification_preferences',
        attributes: {
          app: false,
          created_at: '2022-01-12T17:18:31Z',
          email: true,
          task: false,
          updated_at: '2022-01-12T17:18:31Z',
          updated_in_db_at: '2022-01-12T17:18:31Z',
        },
        relationships: { notification_type: { data: { id: types[1], type: 'notification_type' } } },
      },
    });
    expect(simulator.state.preferences.get(a)).toMatchObject({
      accountListId: accountLists[0],
      notificationTypeId: types[0],
      app: true,
      email: false,
      task: true,
    });
    expect([...simulator.state.writeCounts.values()]).toEqual([1, 1, 1]);
  });

  it('stamps records with the context clock', async () => {
    const { bulk, types, simulator, advance } = setup();
    const [id] = ids(1) as [string];
    advance(90_000);
    await bulk([member(id, types[0] as string)]);
    expect(simulator.state.preferences.get(id)?.createdAt).toBe(START + 90_000);
  });

  const malformed: [string, (id: string, typeId: string) => unknown, string, boolean][] = [
    [
      'a member without a resource object',
      () => ({ type: 'notification_preferences' }),
      '/data/1/data',
      false,
    ],
    ['a member that is not an object', () => 'preference', '/data/1/data', false],
    ['a missing id', (_id, t) => member('', t, { id: undefined }), '/data/1/data/id', false],
    ['an id that is not a uuid', (_id, t) => member('pref-1', t), '/data/1/data/id', false],
    [
      'another type',
      (id, t) => member(id, t, { type: 'notification_types' }),
      '/data/1/data/type',
      true,
    ],
    [
      'missing attributes',
      (id, t) => member(id, t, { attributes: undefined }),
      '/data/1/data/attributes',
      true,
    ],
    [
      'a flag that is not a boolean',
      (id, t) => member(id, t, { attributes: { email: 'yes' } }),
      '/data/1/data/attributes/email',
      true,
    ],
    [
      'no relationships',
      (id, t) => member(id, t, { relationships: undefined }),
      '/data/1/data/relationships/notification_type/data',
      true,
    ],
    [
      'a relationship of another type',
      (id, t) =>
        member(id, t, {
          relationships: { notification_type: { data: { type: 'account_lists', id: t } } },
        }),
      '/data/1/data/relationships/notification_type/data',
      true,
    ],
  ];

  describe.each(malformed)('refuses %s', (_name, build, pointer, carriesId) => {
    it('with a 400 element that points at the problem, and creates the others', async () => {
      const { bulk, types, simulator } = setup();
      const [first, refused, last] = ids(3) as [string, string, string];
      const response = await bulk([
        member(first, types[0] as string),
        build(refused, types[1] as string),
        member(last, types[2] as string),
      ]);
      const results = response.body as Results;
      expect(results).toHaveLength(3);
      expect(results[1]).toEqual({
        errors: [
          expect.objectContaining({ status: '400', title: 'Bad Request', source: { pointer } }),
        ],
        ...(carriesId ? { id: refused } : {}),
      });
      expect([...simulator.state.preferences.keys()]).toEqual([first, last]);
    });
  });

  it('refuses a notification type that does not exist with a 404 element', async () => {
    const { bulk, simulator } = setup();
    const [id, unknownType] = ids(2) as [string, string];
    const results = (await bulk([member(id, unknownType)])).body as Results;
    expect(results).toEqual([
      {
        id,
        errors: [
          expect.objectContaining({
            status: '404',
            source: { pointer: '/data/0/data/relationships/notification_type/data/id' },
          }),
        ],
      },
    ]);
    expect(simulator.state.preferences.size).toBe(0);
  });

  it('refuses an id that already exists with a 409 element carrying that id', async () => {
    const { bulk, types, simulator } = setup();
    const [id] = ids(1) as [string];
    await bulk([member(id, types[0] as string)]);
    const again = (await bulk([member(id, types[5] as string, { attributes: { app: false } })]))
      .body as Results;
    expect(again).toEqual([
      {
        id,
        errors: [
          expect.objectContaining({
            status: '409',
            title: 'Conflict',
            source: { pointer: '/data/0/data/id' },
          }),
        ],
      },
    ]);
    expect(simulator.state.writeCounts.get(id)).toBe(1);
    expect(simulator.state.preferences.get(id)).toMatchObject({
      notificationTypeId: types[0],
      app: true,
    });
  });

  it('makes a retried batch safe: created members come back as conflicts, nothing is written twice', async () => {
    const { bulk, types, simulator } = setup();
    const batch = ids(5).map((id, i) => member(id, types[i] as string));
    await bulk(batch);
    const retry = (await bulk(batch)).body as Results;
    expect(retry.map((r) => (r.errors as Json[])[0]?.status)).toEqual([
      '409',
      '409',
      '409',
      '409',
      '409',
    ]);
    expect(retry.map((r) => r.id)).toEqual(batch.map((m) => (m.data as Json).id));
    expect([...simulator.state.writeCounts.values()]).toEqual([1, 1, 1, 1, 1]);
  });

  it('refuses the second of two members that share an id', async () => {
    const { bulk, types } = setup();
    const [id] = ids(1) as [string];
    const results = (await bulk([member(id, types[0] as string), member(id, types[1] as string)]))
      .body as Results;
    expect(results[0]).toHaveProperty('data');
    expect(results[1]).toMatchObject({ id, errors: [{ status: '409' }] });
  });

  it('answers 404 for an unknown account list and writes nothing', async () => {
    const { bulk, types, simulator } = setup();
    const [id, unknownList] = ids(2) as [string, string];
    const response = await bulk([member(id, types[0] as string)], unknownList);
    expect(response.status).toBe(404);
    expect((response.body as Json).errors).toEqual([expect.objectContaining({ status: '404' })]);
    expect(simulator.state.preferences.size).toBe(0);
  });

  it.each([
    ['an empty data array', { data: [] }],
    ['data that is not an array', { data: { data: {} } }],
    ['no data at all', {}],
  ])('answers 400 for %s', async (_name, body) => {
    const { send, accountLists } = setup();
    const response = await send('POST', BULK, {
      params: { account_list_id: accountLists[0] as string },
      body,
    });
    expect(response.status).toBe(400);
    expect((response.body as Json).errors).toEqual([
      expect.objectContaining({ status: '400', source: { pointer: '/data' } }),
    ]);
  });

  it.each(['application/json', 'text/plain'])('answers 415 for a %s body', async (contentType) => {
    const { send, accountLists, types, simulator } = setup();
    const response = await send('POST', BULK, {
      params: { account_list_id: accountLists[0] as string },
      body: { data: [member(randomUUID(), types[0] as string)] },
      contentType,
    });
    expect(response.status).toBe(415);
    expect((response.body as Json).errors).toEqual([
      expect.objectContaining({ status: '415', title: 'Unsupported Media Type' }),
    ]);
    expect(simulator.state.preferences.size).toBe(0);
  });

  it('accepts the JSON:API media type with a charset', async () => {
    const { send, accountLists, types } = setup();
    const response = await send('POST', BULK, {
      params: { account_list_id: accountLists[0] as string },
      body: { data: [member(randomUUID(), types[0] as string)] },
      contentType: `${MEDIA_TYPE}; charset=utf-8`,
    });
    expect(response.status).toBe(200);
  });
});

describe('listing notification preferences', () => {
  async function withPreferences(count: number) {
    const context = setup();
    const { bulk, types, accountLists, advance } = context;
    const created: string[] = [];
    for (const id of ids(count)) {
      advance(1_000);
      await bulk([member(id, types[created.length % types.length] as string)]);
      created.push(id);
    }
    await bulk([member(randomUUID(), types[0] as string)], accountLists[1]);
    return { ...context, created };
  }

  it.each([
    [{}, 1, 25, 25],
    [{ page: '2' }, 2, 25, 5],
    [{ page: '2', per_page: '10' }, 2, 10, 10],
    [{ page: '4', per_page: '10' }, 4, 10, 0],
  ])('pages %j of one account list', async (query, page, perPage, onPage) => {
    const { send, accountLists, created } = await withPreferences(30);
    const response = await send('GET', LIST, {
      params: { account_list_id: accountLists[0] as string },
      query,
    });
    const body = response.body as { data: Json[]; meta: Json };
    const start = (page - 1) * perPage;
    expect(body.data.map((r) => r.id)).toEqual(created.slice(start, start + onPage));
    expect(body.meta).toEqual({
      pagination: {
        page,
        per_page: perPage,
        total_count: 30,
        total_pages: Math.ceil(30 / perPage),
      },
    });
  });

  it.each([
    ['per_page', '101'],
    ['per_page', '0'],
    ['page', 'two'],
  ])('answers 400 naming %s=%s', async (parameter, value) => {
    const { send, accountLists } = setup();
    const response = await send('GET', LIST, {
      params: { account_list_id: accountLists[0] as string },
      query: { [parameter]: value },
    });
    expect(response.status).toBe(400);
    expect((response.body as Json).errors).toEqual([
      expect.objectContaining({ source: { parameter } }),
    ]);
  });

  it('answers 404 for an unknown account list', async () => {
    const { send } = setup();
    const response = await send('GET', LIST, { params: { account_list_id: randomUUID() } });
    expect(response.status).toBe(404);
  });
});

describe('reading one notification preference', () => {
  it('returns the preference as the bulk response showed it', async () => {
    const { send, bulk, types, accountLists } = setup();
    const [id] = ids(1) as [string];
    const created = ((await bulk([member(id, types[3] as string)])).body as Results)[0];
    const response = await send('GET', READ, {
      params: { account_list_id: accountLists[0] as string, id },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
  });

  it.each([
    ['in another account list', 1],
    ['never created', 0],
  ])('answers 404 for a preference %s', async (name, listIndex) => {
    const { send, bulk, types, accountLists } = setup();
    const [id] = ids(1) as [string];
    if (name !== 'never created') await bulk([member(id, types[0] as string)]);
    const response = await send('GET', READ, {
      params: { account_list_id: accountLists[listIndex] as string, id },
    });
    expect(response.status).toBe(404);
  });
});

describe('catalogue endpoints', () => {
  it('lists every notification type by name', async () => {
    const { send, simulator } = setup();
    const body = (await send('GET', '/api/v2/notification_types')).body as { data: Json[] };
    const names = [...simulator.state.notificationTypes.values()].map((t) => t.name).sort();
    expect(body.data.map((t) => (t.attributes as Json).name)).toEqual(names);
    expect(new Set(body.data.map((t) => t.id))).toEqual(
      new Set(simulator.state.notificationTypes.keys()),
    );
  });

  it('lists the account lists', async () => {
    const { send, accountLists } = setup();
    const body = (await send('GET', '/api/v2/account_lists')).body as { data: Json[]; meta: Json };
    expect(body.data.map((list) => list.id)).toEqual(accountLists);
    expect(body.meta).toEqual({
      pagination: { page: 1, per_page: 25, total_count: accountLists.length, total_pages: 1 },
    });
  });
});

describe('authorize', () => {
  it.each([
    ['no token', undefined, 'Authorization: Bearer'],
    ['another token', 'eyJhbGciOiJub25lIn0.e30.', 'not valid'],
  ])('answers 401 in JSON:API shape for %s', async (_name, token, detail) => {
    const { send, simulator } = setup();
    const response = await send('GET', '/api/v2/notification_types', { token });
    expect(response.status).toBe(401);
    expect(response.headers?.['WWW-Authenticate']).toBe('Bearer');
    const errors = (response.body as Json).errors as Json[];
    expect(errors).toEqual([expect.objectContaining({ status: '401', title: 'Unauthorized' })]);
    expect(errors[0]?.detail).toContain(detail);
    expect(JSON.stringify(response)).not.toContain(TOKEN);
    expect(simulator.state.preferences.size).toBe(0);
  });

  it('lets the configured token through', () => {
    const { simulator } = setup();
    const route = simulator.routes[0] as Route;
    const request = { token: TOKEN } as SandboxRequest;
    expect(simulator.authorize(request, route)).toBeUndefined();
  });
});

describe('errors the server asks for', () => {
  let simulator: VendorSimulator<MpdxState>;
  beforeEach(() => {
    simulator = setup().simulator;
  });

  it.each([400, 404, 405, 413, 415, 429, 500, 503])('%i is a JSON:API error document', (status) => {
    const response = simulator.error(status, 'Something specific happened');
    expect(response.status).toBe(status);
    expectValid('#/components/schemas/ErrorDocument', response.body);
    expect((response.body as Json).errors).toEqual([
      expect.objectContaining({ status: String(status), detail: 'Something specific happened' }),
    ]);
  });

  it('turns validation problems into one error each', () => {
    const response = simulator.error(400, 'Invalid body', {
      validation: [
        { pointer: '/data/0/data/id', message: 'must be a uuid' },
        {
          pointer: '/per_page',
          message: 'must be at most 100',
          in: 'query',
          parameter: 'per_page',
        },
      ],
    });
    expectValid('#/components/schemas/ErrorDocument', response.body);
    expect((response.body as Json).errors).toEqual([
      expect.objectContaining({ detail: 'must be a uuid', source: { pointer: '/data/0/data/id' } }),
      expect.objectContaining({ detail: 'must be at most 100', source: { parameter: 'per_page' } }),
    ]);
  });

  it('says when to come back', () => {
    const response = simulator.error(429, 'Rate limit exceeded', { retryAfterMs: 11_200 });
    expect(response.headers?.['Retry-After']).toBe('12');
  });

  it('answers invalid requests with 400 and a pointer per problem', () => {
    const response = simulator.invalid(
      [
        { pointer: '/account_list_id', message: 'must match format "uuid"', in: 'path' },
        { pointer: '/data', message: 'must be array' },
      ],
      {} as SandboxRequest,
    );
    expect(response.status).toBe(400);
    expectValid('#/components/schemas/ErrorDocument', response.body);
    expect((response.body as Json).errors).toEqual([
      expect.objectContaining({ status: '400', source: { parameter: 'account_list_id' } }),
      expect.objectContaining({ status: '400', source: { pointer: '/data' } }),
    ]);
  });

  it('reports the rate limit in the headers the spec documents', () => {
    const headers = simulator.rateLimitHeaders?.({
      window: {
        limit: 60,
        remaining: 0,
        windowMs: 60_000,
        resetAt: START + 30_500,
        retryAfterMs: 1_001,
      },
      refusedBy: 'window',
    });
    expect(headers).toEqual({
      'X-RateLimit-Limit': '60',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Math.ceil((START + 30_500) / 1000)),
    });
    const responses = (spec.components as Json).responses as Record<string, Json>;
    const documented = Object.keys(responses.TooManyRequests?.headers as Json);
    expect(documented).toEqual(expect.arrayContaining(Object.keys(headers ?? {})));
  });
});

describe('the contract check itself', () => {
  interface Created {
    data: { attributes: Json; relationships: { notification_type: { data: Json } } };
  }
  const validate = () =>
    schemaValidator('#/components/schemas/NotificationPreferencesBulkResponse');

  async function created(): Promise<Created[]> {
    const { bulk, types } = setup();
    const results = (await bulk([member(randomUUID(), types[0] as string)])).body;
    expect(validate()(results)).toBe(true);
    return structuredClone(results) as Created[];
  }

  it('rejects a response that spells the relationship type in the plural', async () => {
    const tampered = await created();
    (tampered[0] as Created).data.relationships.notification_type.data.type = 'notification_types';
    expect(validate()(tampered)).toBe(false);
  });

  it('checks formats: a created_at that is not a date-time fails', async () => {
    const tampered = await created();
    (tampered[0] as Created).data.attributes.created_at = '12 January 2022';
    expect(validate()(tampered)).toBe(false);
  });
});
