import { describe, expect, it } from 'vitest';
import {
  createHubSpotSimulator,
  EXTERNAL_REF,
  externalRefOf,
  type HubSpotState,
} from '../src/hubspot/index.js';
import { createRandom, createUuid } from '../src/random.js';
import type {
  Route,
  SandboxRequest,
  SandboxResponse,
  SimulatorContext,
  VendorSimulator,
} from '../src/types.js';
import { type Json, loadSpecSchemas } from './fixtures/spec-schemas.js';

const TOKEN = 'sandbox-token';
const START = Date.UTC(2024, 4, 1, 9, 0, 0);
const UPDATE = '/crm/v3/objects/tickets/batch/update';
const READ = '/crm/v3/objects/tickets/batch/read';
const CREATE = '/crm/v3/objects/tickets/batch/create';
const UPSERT = '/crm/v3/objects/tickets/batch/upsert';
const ARCHIVE = '/crm/v3/objects/tickets/batch/archive';
const GET = '/crm/v3/objects/tickets/{ticketId}';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// --- the contract: every answer is checked against specs/hubspot/openapi.yaml ------------------

const { spec, deref, validator } = loadSpecSchemas('hubspot');

/** Checks an answer against the response the spec documents for its route and status. */
function expectDocumented(route: Pick<Route, 'method' | 'path'>, response: SandboxResponse): void {
  const operation = (spec.paths as Record<string, Json>)[route.path]?.[
    route.method.toLowerCase()
  ] as Json;
  const responses = operation.responses as Record<string, Json>;
  const documented = responses[String(response.status)] ?? responses.default;
  expect(documented, `${route.method} ${route.path} documents ${response.status}`).toBeDefined();
  const content = deref(documented!).content as Record<string, Json> | undefined;
  if (response.status === 204) {
    expect(content).toBeUndefined();
    expect(response.body).toBeUndefined();
    return;
  }
  const schema = content?.['application/json']?.schema as Json;
  const validate = validator(schema.$ref as string);
  validate(response.body);
  expect(validate.errors ?? [], `${response.status} body against ${String(schema.$ref)}`).toEqual(
    [],
  );
}

// --- a deterministic context with a clock the test moves ---------------------------------------

function fakeContext(seed = 'hubspot-test') {
  let now = START;
  const random = createRandom(seed);
  const ctx: SimulatorContext = {
    now: () => now,
    random,
    uuid: createUuid(random),
    jobMs: () => 0,
    jobShouldFail: () => false,
  };
  return {
    ctx,
    advance(ms: number) {
      now += ms;
    },
  };
}

function setup(tickets = 50) {
  const clock = fakeContext();
  const simulator = createHubSpotSimulator(clock.ctx, { token: TOKEN, tickets });
  return { ...clock, simulator, state: simulator.state };
}

function routeOf(simulator: VendorSimulator<HubSpotState>, method: string, path: string): Route {
  const route = simulator.routes.find((r) => r.method === method && r.path === path);
  if (!route) throw new Error(`no route ${method} ${path}`);
  return route;
}

interface Call {
  body?: unknown;
  params?: Record<string, string>;
  query?: string;
  token?: string | undefined;
}

function request(method: string, path: string, call: Call = {}): SandboxRequest {
  const raw = call.body === undefined ? '' : JSON.stringify(call.body);
  return {
    method,
    path: Object.entries(call.params ?? {}).reduce((p, [k, v]) => p.replace(`{${k}}`, v), path),
    params: call.params ?? {},
    query: new URLSearchParams(call.query ?? ''),
    headers: { 'content-type': 'application/json' },
    body: call.body,
    rawBody: Buffer.from(raw),
    token: 'token' in call ? call.token : TOKEN,
  };
}

/** Calls a route as the server would (auth first) and checks the answer against the spec. */
async function send(
  simulator: VendorSimulator<HubSpotState>,
  method: string,
  path: string,
  call: Call = {},
): Promise<{ status: number; body: Json; headers: Record<string, string> }> {
  const route = routeOf(simulator, method, path);
  const req = request(method, path, call);
  const response = simulator.authorize(req, route) ?? (await route.handle(req));
  expectDocumented(route, response);
  return {
    status: response.status,
    body: (response.body ?? {}) as Json,
    headers: response.headers ?? {},
  };
}

const update = (s: VendorSimulator<HubSpotState>, inputs: unknown[]) =>
  send(s, 'POST', UPDATE, { body: { inputs } });
const getTicket = (s: VendorSimulator<HubSpotState>, id: string, query = '') =>
  send(s, 'GET', GET, { params: { ticketId: id }, query });

function results(body: Json): Json[] {
  return body.results as Json[];
}
function errors(body: Json): Json[] {
  return (body.errors ?? []) as Json[];
}
function propertiesOf(ticket: Json | undefined): Record<string, string | null> {
  return (ticket?.properties ?? {}) as Record<string, string | null>;
}
function failedIds(body: Json): string[] {
  return errors(body).flatMap((e) => (e.context as Record<string, string[]>).ids ?? []);
}

// --- tests --------------------------------------------------------------------------------------

describe('seeded state', () => {
  it('holds tickets "1".."n" with a unique external_ref each', () => {
    const { state } = setup(30);
    expect([...state.tickets.keys()]).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    const refs = [...state.tickets.values()].map((t) => t.properties[EXTERNAL_REF]);
    expect(new Set(refs).size).toBe(30);
    expect(state.tickets.get('7')?.properties[EXTERNAL_REF]).toBe(externalRefOf(7));
  });

  it('seeds 5,000 tickets by default', () => {
    const simulator = createHubSpotSimulator(fakeContext().ctx, { token: TOKEN });
    expect(simulator.state.tickets.size).toBe(5000);
    expect(simulator.state.tickets.has('5000')).toBe(true);
  });

  it('is the same for the same seed and clock, and differs for another seed', () => {
    const a = createHubSpotSimulator(fakeContext('one').ctx, { token: TOKEN, tickets: 20 });
    const b = createHubSpotSimulator(fakeContext('one').ctx, { token: TOKEN, tickets: 20 });
    const c = createHubSpotSimulator(fakeContext('two').ctx, { token: TOKEN, tickets: 20 });
    expect([...a.state.tickets.values()]).toEqual([...b.state.tickets.values()]);
    expect([...a.state.tickets.values()]).not.toEqual([...c.state.tickets.values()]);
  });

  it('dates every ticket before the clock and starts with an empty write log', () => {
    const { state } = setup(20);
    for (const ticket of state.tickets.values()) {
      expect(ticket.createdAt).toBeLessThanOrEqual(ticket.updatedAt);
      expect(ticket.updatedAt).toBeLessThanOrEqual(START);
      expect(ticket.archived).toBe(false);
    }
    expect(state.writeLog).toEqual([]);
    expect(state.writeCounts.size).toBe(0);
  });

  it('rejects a bad ticket count with a TypeError naming it', () => {
    expect(() => createHubSpotSimulator(fakeContext().ctx, { token: TOKEN, tickets: -1 })).toThrow(
      /`tickets`/,
    );
  });
});

describe('bearer auth', () => {
  it.each([
    { case: 'no token', token: undefined },
    { case: 'a wrong token', token: 'not-the-token' },
  ])('answers $case with a 401 in HubSpot’s error shape', async ({ token }) => {
    const { simulator, state } = setup();
    const { status, body, headers } = await send(simulator, 'POST', UPDATE, {
      body: { inputs: [{ id: '1', properties: { subject: 'x' } }] },
      token,
    });
    expect(status).toBe(401);
    expect(body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect(body.correlationId).toMatch(UUID);
    expect(headers['x-hubspot-correlation-id']).toBe(body.correlationId);
    expect(String(body.message)).not.toContain(TOKEN);
    expect(state.writeLog).toEqual([]);
  });

  it('lets the right token through', () => {
    const { simulator } = setup();
    const route = routeOf(simulator, 'POST', UPDATE);
    expect(
      simulator.authorize(request('POST', UPDATE, { body: { inputs: [] } }), route),
    ).toBeUndefined();
  });
});

describe('batch update', () => {
  it('writes every input once and answers 200 COMPLETE with clock timestamps', async () => {
    const { simulator, state } = setup();
    const { status, body } = await update(simulator, [
      { id: '1', properties: { hs_pipeline_stage: '3', subject: 'Renamed' } },
      { id: '2', properties: { hs_ticket_priority: 'URGENT' } },
    ]);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'COMPLETE', requestedAt: new Date(START).toISOString() });
    expect(body.completedAt).toBe(new Date(START).toISOString());
    expect(body.errors).toBeUndefined();
    expect(results(body).map((r) => r.id)).toEqual(['1', '2']);
    expect(propertiesOf(results(body)[0])).toMatchObject({
      hs_pipeline_stage: '3',
      subject: 'Renamed',
      hs_object_id: '1',
    });
    expect(state.tickets.get('2')?.properties.hs_ticket_priority).toBe('URGENT');
    expect(state.tickets.get('1')?.updatedAt).toBe(START);
    expect(Object.fromEntries(state.writeCounts)).toEqual({ 1: 1, 2: 1 });
    expect(state.writeLog.map((w) => [w.id, w.operation])).toEqual([
      ['1', 'update'],
      ['2', 'update'],
    ]);
  });

  it('stamps later writes with the moved clock', async () => {
    const { simulator, state, advance } = setup();
    advance(60_000);
    const { body } = await update(simulator, [{ id: '3', properties: { subject: 'Later' } }]);
    expect(results(body)[0]?.updatedAt).toBe(new Date(START + 60_000).toISOString());
    expect(state.writeLog[0]?.at).toBe(START + 60_000);
  });

  it('clears a property given an empty string', async () => {
    const { simulator, state } = setup();
    expect(state.tickets.get('4')?.properties.content).toBeDefined();
    await update(simulator, [{ id: '4', properties: { content: '' } }]);
    expect(state.tickets.get('4')?.properties).not.toHaveProperty('content');
    const { body } = await getTicket(simulator, '4', 'properties=content');
    expect(propertiesOf(body).content).toBeNull();
  });

  it('finds tickets by a unique property with idProperty', async () => {
    const { simulator, state } = setup();
    const { status, body } = await update(simulator, [
      { id: externalRefOf(9), idProperty: EXTERNAL_REF, properties: { subject: 'By ref' } },
    ]);
    expect(status).toBe(200);
    expect(results(body)[0]?.id).toBe('9');
    expect(state.tickets.get('9')?.properties.subject).toBe('By ref');
  });

  it('keeps the write log per id so a test can prove each record was written once', async () => {
    const { simulator, state } = setup();
    await update(simulator, [{ id: '5', properties: { subject: 'a' } }]);
    await update(simulator, [
      { id: '5', properties: { subject: 'b' } },
      { id: '6', properties: { subject: 'c' } },
    ]);
    expect(state.writeCounts.get('5')).toBe(2);
    expect(state.writeCounts.get('6')).toBe(1);
    expect(state.writeCounts.get('7')).toBeUndefined();
  });

  const perItemFailures = [
    {
      case: 'an unknown id',
      input: { id: '999999', properties: { subject: 'x' } },
      category: 'OBJECT_NOT_FOUND',
      failedId: '999999',
    },
    {
      case: 'a read-only property',
      input: { id: '2', properties: { hs_object_id: '77' } },
      category: 'VALIDATION_ERROR',
      failedId: '2',
      code: 'READ_ONLY_VALUE',
    },
    {
      case: 'an unknown property',
      input: { id: '2', properties: { colour: 'red' } },
      category: 'VALIDATION_ERROR',
      failedId: '2',
      code: 'PROPERTY_DOESNT_EXIST',
    },
    {
      case: 'a value outside an enumeration',
      input: { id: '2', properties: { hs_ticket_priority: 'SOON' } },
      category: 'VALIDATION_ERROR',
      failedId: '2',
      code: 'INVALID_OPTION',
    },
    {
      case: 'an unknown idProperty value',
      input: { id: 'EXT-NOPE', idProperty: EXTERNAL_REF, properties: { subject: 'x' } },
      category: 'OBJECT_NOT_FOUND',
      failedId: 'EXT-NOPE',
    },
    {
      case: 'an idProperty without unique values',
      input: { id: 'x', idProperty: 'subject', properties: {} },
      category: 'VALIDATION_ERROR',
      failedId: 'x',
    },
    {
      case: 'a unique value another ticket holds',
      input: { id: '2', properties: { [EXTERNAL_REF]: externalRefOf(3) } },
      category: 'CONFLICT',
      failedId: '2',
      code: 'VALUE_NOT_UNIQUE',
    },
  ];

  describe.each(perItemFailures)('with $case', ({ input, category, failedId, code }) => {
    it('answers 207, writes the good input and names the failed one', async () => {
      const { simulator, state } = setup();
      const before = structuredClone(state.tickets.get('2'));
      const { status, body } = await update(simulator, [
        { id: '1', properties: { subject: 'good' } },
        input,
      ]);
      expect(status).toBe(207);
      expect(results(body).map((r) => r.id)).toEqual(['1']);
      expect(body.numErrors).toBe(1);
      expect(errors(body)[0]).toMatchObject({ status: 'error', category });
      expect(failedIds(body)).toEqual([failedId]);
      if (code) expect(errors(body)[0]?.errors).toMatchObject([{ code }]);
      expect(String(errors(body)[0]?.message)).toContain(failedId);
      expect(state.tickets.get('2')).toEqual(before);
      expect([...state.writeCounts.keys()]).toEqual(['1']);
    });
  });

  it('answers 207 with no results when every input fails', async () => {
    const { simulator, state } = setup();
    const { status, body } = await update(simulator, [
      { id: '888888', properties: { subject: 'x' } },
      { id: '3', properties: { createdate: '2020-01-01T00:00:00Z' } },
    ]);
    expect(status).toBe(207);
    expect(results(body)).toEqual([]);
    expect(body.numErrors).toBe(2);
    expect(failedIds(body).sort()).toEqual(['3', '888888']);
    expect(state.writeLog).toEqual([]);
  });

  it('groups unknown ids into one OBJECT_NOT_FOUND entry', async () => {
    const { simulator } = setup();
    const { body } = await update(simulator, [
      { id: '700001', properties: {} },
      { id: '700002', properties: {} },
    ]);
    expect(errors(body)).toHaveLength(1);
    expect(failedIds(body)).toEqual(['700001', '700002']);
  });

  it('echoes objectWriteTraceId in the error context and the write log', async () => {
    const { simulator, state } = setup();
    const { body } = await update(simulator, [
      { id: '1', properties: { subject: 'ok' }, objectWriteTraceId: 'row-1' },
      { id: '2', properties: { nope: 'x' }, objectWriteTraceId: 'row-2' },
    ]);
    expect(errors(body)[0]?.context).toMatchObject({ objectWriteTraceId: ['row-2'] });
    expect(state.writeLog[0]?.objectWriteTraceId).toBe('row-1');
  });

  it('accepts 100 inputs and refuses 101 whole with a 400 VALIDATION_ERROR', async () => {
    const { simulator, state } = setup(200);
    const inputs = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: String(i + 1), properties: { subject: 's' } }));
    expect((await update(simulator, inputs(100))).status).toBe(200);
    const refused = await update(simulator, inputs(101));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(String(refused.body.message)).toContain('101');
    expect(state.writeLog).toHaveLength(100);
  });

  it('refuses a batch naming one ticket twice, writing nothing', async () => {
    const { simulator, state } = setup();
    const { status, body } = await update(simulator, [
      { id: '8', properties: { subject: 'a' } },
      { id: '9', properties: { subject: 'b' } },
      { id: '8', properties: { subject: 'c' } },
    ]);
    expect(status).toBe(400);
    expect(body).toMatchObject({ category: 'VALIDATION_ERROR', context: { ids: ['8'] } });
    expect(String(body.message)).toContain('Duplicate IDs');
    expect(state.writeLog).toEqual([]);
  });

  it('treats the same value under different idProperty values as different records', async () => {
    const { simulator } = setup();
    const { status } = await update(simulator, [
      { id: '1', properties: { subject: 'a' } },
      { id: '1', idProperty: 'hs_object_id', properties: { content: 'b' } },
    ]);
    expect(status).toBe(400);
  });

  it('answers a body without inputs with a 400', async () => {
    const { simulator } = setup();
    const { status, body } = await send(simulator, 'POST', UPDATE, { body: { input: [] } });
    expect(status).toBe(400);
    expect(body.category).toBe('VALIDATION_ERROR');
  });
});

describe('batch read', () => {
  it('returns the asked properties plus the always-returned ones', async () => {
    const { simulator, state } = setup();
    const { status, body } = await send(simulator, 'POST', READ, {
      body: {
        inputs: [{ id: '1' }, { id: '2' }],
        properties: ['subject', 'no_such_property'],
        propertiesWithHistory: [],
      },
    });
    expect(status).toBe(200);
    expect(results(body).map((r) => r.id)).toEqual(['1', '2']);
    expect(Object.keys(propertiesOf(results(body)[0])).sort()).toEqual(
      ['createdate', 'hs_lastmodifieddate', 'hs_object_id', 'subject'].sort(),
    );
    expect(propertiesOf(results(body)[1]).subject).toBe(state.tickets.get('2')?.properties.subject);
    expect(state.writeLog).toEqual([]);
  });

  it('reports unknown ids in a 207 and reads by idProperty', async () => {
    const { simulator } = setup();
    const { status, body } = await send(simulator, 'POST', READ, {
      body: {
        inputs: [{ id: externalRefOf(3) }, { id: 'EXT-999999' }],
        idProperty: EXTERNAL_REF,
        properties: [EXTERNAL_REF],
        propertiesWithHistory: [],
      },
    });
    expect(status).toBe(207);
    expect(results(body).map((r) => r.id)).toEqual(['3']);
    expect(failedIds(body)).toEqual(['EXT-999999']);
  });

  it('returns property history and caps such reads at 50 inputs', async () => {
    const { simulator } = setup(100);
    const inputs = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i + 1) }));
    const ok = await send(simulator, 'POST', READ, {
      body: { inputs: inputs(50), properties: [], propertiesWithHistory: ['subject'] },
    });
    expect(ok.status).toBe(200);
    const first = results(ok.body)[0];
    expect(first?.propertiesWithHistory).toMatchObject({
      subject: [{ value: propertiesOf(first).subject, sourceType: 'API' }],
    });
    const refused = await send(simulator, 'POST', READ, {
      body: { inputs: inputs(51), properties: [], propertiesWithHistory: ['subject'] },
    });
    expect(refused.status).toBe(400);
  });

  it('reads archived tickets only with archived=true', async () => {
    const { simulator } = setup();
    await send(simulator, 'POST', ARCHIVE, { body: { inputs: [{ id: '5' }] } });
    const body = { inputs: [{ id: '5' }], properties: [], propertiesWithHistory: [] };
    expect((await send(simulator, 'POST', READ, { body })).status).toBe(207);
    const archived = await send(simulator, 'POST', READ, { body, query: 'archived=true' });
    expect(archived.status).toBe(200);
    expect(results(archived.body)[0]).toMatchObject({
      archived: true,
      archivedAt: new Date(START).toISOString(),
    });
  });
});

describe('batch create', () => {
  it('creates tickets after the seeded ids and answers 201', async () => {
    const { simulator, state } = setup(10);
    const { status, body } = await send(simulator, 'POST', CREATE, {
      body: {
        inputs: [
          { properties: { subject: 'New one', [EXTERNAL_REF]: 'EXT-NEW-1' } },
          {
            properties: { subject: 'New two' },
            associations: [
              {
                to: { id: '201' },
                types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 16 }],
              },
            ],
          },
        ],
      },
    });
    expect(status).toBe(201);
    expect(results(body).map((r) => r.id)).toEqual(['11', '12']);
    expect(state.tickets.get('11')).toMatchObject({
      createdAt: START,
      properties: { subject: 'New one' },
    });
    expect(state.writeLog.map((w) => [w.id, w.operation])).toEqual([
      ['11', 'create'],
      ['12', 'create'],
    ]);
  });

  it('names a failed create input by its position', async () => {
    const { simulator, state } = setup(10);
    const { status, body } = await send(simulator, 'POST', CREATE, {
      body: {
        inputs: [{ properties: { subject: 'ok' } }, { properties: { hs_lastmodifieddate: 'x' } }],
      },
    });
    expect(status).toBe(207);
    expect(failedIds(body)).toEqual(['1']);
    expect(state.tickets.size).toBe(11);
  });
});

describe('batch upsert', () => {
  it('updates the ticket holding the value and creates one where none does', async () => {
    const { simulator, state } = setup(10);
    const { status, body } = await send(simulator, 'POST', UPSERT, {
      body: {
        inputs: [
          { id: externalRefOf(4), idProperty: EXTERNAL_REF, properties: { subject: 'Updated' } },
          { id: 'EXT-FRESH', idProperty: EXTERNAL_REF, properties: { subject: 'Created' } },
        ],
      },
    });
    expect(status).toBe(200);
    expect(results(body).map((r) => [r.id, r.new])).toEqual([
      ['4', false],
      ['11', true],
    ]);
    expect(state.tickets.get('11')?.properties).toMatchObject({
      [EXTERNAL_REF]: 'EXT-FRESH',
      subject: 'Created',
    });
    expect(state.writeLog.map((w) => w.operation)).toEqual(['upsert', 'upsert']);
  });

  it('cannot create a ticket with a chosen id: a missing id is not found', async () => {
    const { simulator, state } = setup(10);
    const { status, body } = await send(simulator, 'POST', UPSERT, {
      body: { inputs: [{ id: '424242', properties: { subject: 'x' } }] },
    });
    expect(status).toBe(207);
    expect(results(body)).toEqual([]);
    expect(failedIds(body)).toEqual(['424242']);
    expect(state.tickets.size).toBe(10);
  });
});

describe('batch archive', () => {
  it('archives with 204, ignores missing ids and is harmless to repeat', async () => {
    const { simulator, state } = setup();
    const body = { inputs: [{ id: '3' }, { id: '987654' }] };
    expect((await send(simulator, 'POST', ARCHIVE, { body })).status).toBe(204);
    expect((await send(simulator, 'POST', ARCHIVE, { body })).status).toBe(204);
    expect(state.tickets.get('3')).toMatchObject({ archived: true, archivedAt: START });
    expect(state.writeCounts.get('3')).toBe(1);
    const after = await update(simulator, [{ id: '3', properties: { subject: 'x' } }]);
    expect(failedIds(after.body)).toEqual(['3']);
  });

  it('refuses duplicate ids', async () => {
    const { simulator } = setup();
    const { status } = await send(simulator, 'POST', ARCHIVE, {
      body: { inputs: [{ id: '3' }, { id: '3' }] },
    });
    expect(status).toBe(400);
  });
});

describe('get ticket', () => {
  it('returns the default properties when none are asked for', async () => {
    const { simulator } = setup();
    const { status, body } = await getTicket(simulator, '12');
    expect(status).toBe(200);
    expect(Object.keys(propertiesOf(body)).sort()).toEqual(
      [
        'content',
        'createdate',
        'hs_lastmodifieddate',
        'hs_object_id',
        'hs_pipeline',
        'hs_pipeline_stage',
        'hs_ticket_priority',
        'subject',
      ].sort(),
    );
  });

  it.each([
    { style: 'repeated', query: 'properties=subject&properties=external_ref' },
    { style: 'comma-separated', query: 'properties=subject,external_ref' },
  ])('accepts $style properties', async ({ query }) => {
    const { simulator } = setup();
    const { body } = await getTicket(simulator, '12', query);
    expect(Object.keys(propertiesOf(body))).toEqual(
      expect.arrayContaining(['subject', EXTERNAL_REF]),
    );
    expect(propertiesOf(body)).not.toHaveProperty('content');
  });

  it('finds by idProperty and answers 404 for an unknown ticket', async () => {
    const { simulator } = setup();
    expect(
      (await getTicket(simulator, externalRefOf(7), `idProperty=${EXTERNAL_REF}`)).body.id,
    ).toBe('7');
    const missing = await getTicket(simulator, '31337');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect(String(missing.body.message)).toContain('31337');
  });
});

describe('errors the server asks for', () => {
  it.each([
    ['window', 'TEN_SECONDLY_ROLLING', 'You have reached your ten_secondly_rolling limit.'],
    ['secondly', 'SECONDLY', 'You have reached your secondly limit.'],
    ['daily', 'DAILY', 'You have reached your daily limit.'],
  ] as const)('builds the 429 body naming the %s limit %s', (policy, policyName, message) => {
    const { simulator } = setup();
    const response = simulator.error(429, 'Rate limit exceeded', {
      retryAfterMs: 1000,
      rateLimitPolicy: policy,
    });
    expect(response.status).toBe(429);
    expect(response.body).toMatchObject({
      status: 'error',
      message,
      errorType: 'RATE_LIMIT',
      policyName,
    });
    for (const path of [UPDATE, READ, CREATE, UPSERT, ARCHIVE])
      expectDocumented({ method: 'POST', path }, response);
    expectDocumented({ method: 'GET', path: GET }, response);
  });

  it('reports each configured limit in its X-HubSpot-RateLimit headers', () => {
    const { simulator } = setup();
    const info = (limit: number, remaining: number, windowMs: number) => ({
      limit,
      remaining,
      windowMs,
      resetAt: START + windowMs,
      retryAfterMs: 0,
    });
    expect(simulator.rateLimitHeaders?.({ window: info(100, 7, 10_000) })).toEqual({
      'X-HubSpot-RateLimit-Max': '100',
      'X-HubSpot-RateLimit-Remaining': '7',
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
    });
    expect(
      simulator.rateLimitHeaders?.({
        window: info(190, 0, 10_000),
        secondly: info(19, 3, 1000),
        daily: info(625_000, 624_998, 86_400_000),
      }),
    ).toEqual({
      'X-HubSpot-RateLimit-Max': '190',
      'X-HubSpot-RateLimit-Remaining': '0',
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      'X-HubSpot-RateLimit-Secondly': '19',
      'X-HubSpot-RateLimit-Secondly-Remaining': '3',
      'X-HubSpot-RateLimit-Daily': '625000',
      'X-HubSpot-RateLimit-Daily-Remaining': '624998',
    });
  });

  it.each([400, 404, 413, 415, 500, 503])('builds a %i in the common error shape', (status) => {
    const { simulator } = setup();
    const response = simulator.error(status, 'Something failed');
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ status: 'error', message: 'Something failed' });
    expectDocumented({ method: 'POST', path: UPDATE }, response);
  });

  it('turns spec-validation problems into a 400 VALIDATION_ERROR with details', () => {
    const { simulator } = setup();
    const req = request('POST', UPDATE, { body: { inputs: [{ id: 5 }] } });
    const response = simulator.invalid(
      [
        { pointer: '/inputs/0/id', message: 'must be string' },
        { pointer: '/inputs/0', message: "must have required property 'properties'" },
      ],
      req,
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      category: 'VALIDATION_ERROR',
      errors: [
        { in: '/inputs/0/id', message: 'must be string' },
        { in: '/inputs/0', message: "must have required property 'properties'" },
      ],
    });
    expect(String((response.body as Json).message)).toContain('/inputs/0/id');
    expectDocumented({ method: 'POST', path: UPDATE }, response);
  });
});

describe('routes', () => {
  it('use the path templates of the spec', () => {
    const { simulator } = setup();
    const documented = Object.entries(spec.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(simulator.routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(documented.sort());
    expect(
      simulator.routes.every((r) => simulator.prefixes.some((prefix) => r.path.startsWith(prefix))),
    ).toBe(true);
  });
});
