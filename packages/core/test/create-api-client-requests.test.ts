import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.js';
import { createApiClient, unwrap } from '../src/create-api-client.js';
import { RateLimiter } from '../src/rate-limiter.js';

/** What the loopback server received. */
interface Seen {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  marker: string | undefined;
  body: string;
}

type Paths = {
  '/items': {
    post: {
      requestBody: { content: { 'application/json': { name: string } } };
      responses: { 200: { content: { 'application/json': unknown } } };
    };
    get: { responses: { 200: { content: { 'application/json': unknown } } } };
  };
};

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    seen.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      marker: request.headers['x-marker'] as string | undefined,
      body: Buffer.concat(chunks).toString('utf8'),
    });
    const status = request.url === '/missing' ? 404 : 200;
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(status === 200 ? '{"ok":true}' : '{"message":"no such item"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

const newClient = () =>
  createApiClient<Paths>({ token: 'sandbox-token', baseUrl, rateLimit: false }, { name: 'Test' });

describe('requests of a client with its default fetch', () => {
  it('sends method, path, token and body without any middleware of the caller', async () => {
    const client = newClient();
    const result = await client.POST('/items', { body: { name: 'a' } });
    expect(result.data).toEqual({ ok: true });
    await client.GET('/items');
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/items',
        authorization: 'Bearer sandbox-token',
        marker: undefined,
        body: '{"name":"a"}',
      },
      expect.objectContaining({ method: 'GET', url: '/items', body: '' }),
    ]);
  });

  it("stops a call waiting for the client's rate limiter when its signal aborts", async () => {
    const limiter = new RateLimiter({ requests: 1, perMs: 60_000 });
    const client = createApiClient<Paths>(
      { token: 'sandbox-token', baseUrl, rateLimit: limiter },
      { name: 'Test' },
    );
    await client.GET('/items');
    const controller = new AbortController();
    const waiting = client.GET('/items', { signal: controller.signal });
    const reason = new Error('stopped by the caller');
    controller.abort(reason);
    await expect(waiting).rejects.toMatchObject({ code: 'ERR_NOT_SENT', cause: reason });
    expect(seen).toHaveLength(1);
  });

  it('names the method and URL of a failed request in its ApiError', async () => {
    const client = newClient();
    const result = await client.GET('/missing' as '/items');
    const error = (() => {
      try {
        unwrap(result);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, method: 'GET', url: `${baseUrl}/missing` });
  });
});

/** Each caller middleware, what it does, and what the server must then receive. */
const callerMiddleware: [string, (observed: unknown[]) => Middleware, Partial<Seen> | undefined][] =
  [
    [
      'reads the headers',
      (observed) => ({
        onRequest({ request }) {
          observed.push(request instanceof Request, request.headers.get('authorization'));
        },
      }),
      { body: '{"name":"a"}', authorization: 'Bearer sandbox-token' },
    ],
    [
      'reads the body',
      (observed) => ({
        async onRequest({ request }) {
          observed.push(request instanceof Request, await request.json());
        },
      }),
      { body: '{"name":"a"}' },
    ],
    [
      'reads a clone of the body',
      (observed) => ({
        async onRequest({ request }) {
          observed.push(request instanceof Request, await request.clone().json());
        },
      }),
      { body: '{"name":"a"}' },
    ],
    [
      'replaces the request',
      (observed) => ({
        onRequest({ request }) {
          observed.push(request instanceof Request);
          const headers = new Headers(request.headers);
          headers.set('X-Marker', 'replaced');
          return new Request(request, { headers });
        },
      }),
      { body: '{"name":"a"}', marker: 'replaced', authorization: 'Bearer sandbox-token' },
    ],
    [
      'answers in place of the server',
      (observed) => ({
        onRequest({ request }) {
          observed.push(request instanceof Request);
          return Response.json({ ok: 'local' });
        },
      }),
      undefined,
    ],
  ];

describe.each(callerMiddleware)('a caller middleware that %s', (_, make, expected) => {
  const check = (observed: unknown[]) => {
    expect(observed[0]).toBe(true);
    if (expected === undefined) expect(seen).toEqual([]);
    else expect(seen).toEqual([expect.objectContaining({ method: 'POST', ...expected })]);
  };

  it('works when added with use()', async () => {
    const observed: unknown[] = [];
    const client = newClient();
    client.use(make(observed));
    const result = await client.POST('/items', { body: { name: 'a' } });
    expect(result.data).toBeDefined();
    check(observed);
  });

  it('works when given to one call', async () => {
    const observed: unknown[] = [];
    const client = newClient();
    await client.POST('/items', { body: { name: 'a' }, middleware: [make(observed)] });
    check(observed);
  });
});

describe('caller middleware added and ejected', () => {
  it('keeps seeing real requests while one of two registrations remains', async () => {
    const observed: unknown[] = [];
    const middleware: Middleware = {
      onRequest({ request }) {
        observed.push(request instanceof Request);
      },
    };
    const client = newClient();
    client.use(middleware);
    client.use(middleware);
    client.eject(middleware);
    await client.POST('/items', { body: { name: 'a' } });
    expect(observed).toEqual([true]);
    client.eject(middleware);
    await client.POST('/items', { body: { name: 'b' } });
    expect(observed).toEqual([true]);
    expect(seen.map((request) => request.body)).toEqual(['{"name":"a"}', '{"name":"b"}']);
  });

  it('refuses a middleware that is not one, as openapi-fetch does', () => {
    const client = newClient();
    expect(() => client.use({} as Middleware)).toThrow(/Middleware must be an object/);
  });
});

describe('a fetch given to one call', () => {
  it('gets a real Request carrying the token and body', async () => {
    const client = newClient();
    const got: Request[] = [];
    const fetch = async (request: Request) => {
      got.push(request);
      return Response.json({ ok: 'own fetch' });
    };
    const result = await client.POST('/items', { body: { name: 'a' }, fetch });
    expect(result.data).toEqual({ ok: 'own fetch' });
    expect(got[0]).toBeInstanceOf(Request);
    expect(got[0]?.headers.get('authorization')).toBe('Bearer sandbox-token');
    expect(await got[0]?.text()).toBe('{"name":"a"}');
    expect(seen).toEqual([]);
  });
});
