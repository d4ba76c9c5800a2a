import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMpdxSimulator, type MpdxState } from '../src/mpdx/index.js';
import { type Sandbox, startSandbox } from '../src/start-sandbox.js';

const TOKEN = 'sandbox-token';
const MEDIA_TYPE = 'application/vnd.api+json';

type Json = Record<string, unknown>;

// The simulator behind the shared server: routing, media types, spec validation and auth as a
// client meets them, with every response checked against the spec.
describe('the MPDX simulator behind the sandbox server', () => {
  let sandbox: Sandbox;
  let state: MpdxState;
  let accountListId: string;
  let typeId: string;

  beforeAll(async () => {
    sandbox = await startSandbox({
      simulators: [createMpdxSimulator],
      validateResponses: 'record',
      requireSpecs: true,
      seed: 3,
    });
    state = sandbox.state.mpdx as MpdxState;
    accountListId = [...state.accountLists.keys()][0] as string;
    typeId = [...state.notificationTypes.keys()][0] as string;
  });

  afterAll(async () => {
    expect(sandbox.violations).toEqual([]);
    await sandbox.close();
  });

  function send(path: string, init: RequestInit & { token?: string | null } = {}) {
    const { token = TOKEN, ...rest } = init;
    const headers = new Headers(rest.headers);
    headers.set('Accept', MEDIA_TYPE);
    if (token !== null) headers.set('Authorization', `Bearer ${token}`);
    return fetch(`${sandbox.url}${path}`, { ...rest, headers });
  }

  function bulkBody(id: string) {
    return JSON.stringify({
      data: [
        {
          data: {
            type: 'notification_preferences',
            id,
            attributes: { app: true, email: true, task: false },
            relationships: {
              notification_type: { data: { type: 'notification_types', id: typeId } },
            },
          },
        },
      ],
    });
  }

  const bulkPath = () => `/api/v2/account_lists/${accountListId}/notification_preferences/bulk`;

  it('creates preferences and serves them back in the list', async () => {
    const id = randomUUID();
    const created = await send(bulkPath(), {
      method: 'POST',
      headers: { 'Content-Type': MEDIA_TYPE },
      body: bulkBody(id),
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toContain(MEDIA_TYPE);
    expect(((await created.json()) as Json[])[0]).toMatchObject({ data: { id } });

    const listed = await send(`/api/v2/account_lists/${accountListId}/notification_preferences`);
    const body = (await listed.json()) as { data: Json[] };
    expect(body.data.map((r) => r.id)).toContain(id);
  });

  it('answers 415 in JSON:API shape to a plain JSON body', async () => {
    const response = await send(bulkPath(), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: bulkBody(randomUUID()),
    });
    expect(response.status).toBe(415);
    const body = (await response.json()) as { errors: Json[] };
    expect(body.errors[0]).toMatchObject({ status: '415', title: 'Unsupported Media Type' });
  });

  it('answers 401 in JSON:API shape without a token', async () => {
    const response = await send('/api/v2/notification_types', { token: null });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: Json[] }).errors[0]).toMatchObject({
      status: '401',
    });
  });

  it('answers 400 naming the parameter the spec rejects', async () => {
    const response = await send(
      `/api/v2/account_lists/${accountListId}/notification_preferences?per_page=500`,
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Json[] };
    expect(body.errors[0]).toMatchObject({ status: '400' });
    expect(body.errors[0]?.source).toEqual({ parameter: 'per_page' });
  });

  it('answers 400 for a path id that is not a uuid', async () => {
    const response = await send(`/api/v2/account_lists/not-a-uuid/notification_preferences`);
    expect(response.status).toBe(400);
  });
});

describe('the MPDX simulator over its rate limit', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      simulators: [createMpdxSimulator],
      validateResponses: 'record',
      requireSpecs: true,
      rateLimit: { requests: 2, perMs: 60_000 },
    });
  });

  afterAll(async () => {
    expect(sandbox.violations).toEqual([]);
    await sandbox.close();
  });

  it('answers 429 with Retry-After and the rate-limit headers', async () => {
    const get = () =>
      fetch(`${sandbox.url}/api/v2/notification_types`, {
        headers: { Authorization: `Bearer ${TOKEN}`, Accept: MEDIA_TYPE },
      });
    const statuses = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await get();
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last?.headers.get('x-ratelimit-limit')).toBe('2');
    expect(last?.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(last?.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
    const body = (await last?.json()) as { errors: Json[] };
    expect(body.errors[0]).toMatchObject({ status: '429', title: 'Too Many Requests' });
  });
});
