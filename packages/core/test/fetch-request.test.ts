import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../src/create-api-client.js';
import { fetchRequest, ReusableRequest } from '../src/fetch-request.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];

const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

beforeAll(async () => {
  server = createServer(async (request, response) => {
    seen.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      contentType: request.headers['content-type'],
      body: await readBody(request),
    });
    response.setHeader('Content-Type', 'application/json');
    response.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('ReusableRequest', () => {
  it('gives back its init with a string body and the headers set since', () => {
    const request = new ReusableRequest('http://127.0.0.1/x', {
      method: 'post',
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/json' },
      redirect: 'follow',
    });
    request.headers.set('Authorization', 'Bearer sandbox-token');
    const init = ReusableRequest.reusableInit(request);
    expect(init).toMatchObject({ method: 'POST', body: '{"a":1}', redirect: 'follow' });
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer sandbox-token');
  });

  it('gives no init for a request it did not build', () => {
    expect(ReusableRequest.reusableInit(new Request('http://127.0.0.1/x'))).toBeUndefined();
  });

  it.each([
    ['a byte array', () => new Uint8Array([1, 2])],
    ['a form', () => new FormData()],
    ['a stream', () => new ReadableStream()],
  ])('cannot be reused with %s as its body', (_, body) => {
    const request = new ReusableRequest('http://127.0.0.1/x', {
      method: 'POST',
      body: body(),
      duplex: 'half',
    } as RequestInit);
    expect(ReusableRequest.reusableInit(request)).toBeUndefined();
  });
});

describe('fetchRequest', () => {
  it.each([
    [
      'a reusable request',
      'one',
      (url: string) => new ReusableRequest(url, { method: 'POST', body: 'one' }),
    ],
    ['a plain request', 'two', (url: string) => new Request(url, { method: 'POST', body: 'two' })],
    [
      'a request with a byte body',
      'three',
      (url: string) =>
        new ReusableRequest(url, { method: 'PUT', body: new TextEncoder().encode('three') }),
    ],
  ])('sends %s with its method and body', async (_, body, make) => {
    seen.length = 0;
    const request = make(`${baseUrl}/items`);
    const response = await fetchRequest(request);
    expect(await response.json()).toEqual({ ok: true });
    expect(seen).toEqual([
      expect.objectContaining({ method: request.method, url: '/items', body }),
    ]);
  });

  it('sends what the client built, with the headers its middleware set', async () => {
    seen.length = 0;
    const client = createApiClient<Record<string, never>>(
      { token: 'sandbox-token', baseUrl, rateLimit: false },
      { name: 'Test' },
    );
    const post = client.POST as unknown as (
      path: string,
      init: { body: unknown },
    ) => Promise<{ data?: unknown; response: Response }>;
    const result = await post('/items', { body: { name: 'a' } });
    expect(result.data).toEqual({ ok: true });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/items',
        authorization: 'Bearer sandbox-token',
        contentType: 'application/json',
        body: '{"name":"a"}',
      },
    ]);
  });

  it('sends a request that a middleware replaced as it is', async () => {
    seen.length = 0;
    const client = createApiClient<Record<string, never>>(
      { token: 'sandbox-token', baseUrl, rateLimit: false },
      { name: 'Test' },
    );
    client.use({
      onRequest: ({ request }) =>
        new Request(request, { body: '{"name":"replaced"}', duplex: 'half' } as RequestInit),
    });
    const post = client.POST as unknown as (
      path: string,
      init: { body: unknown },
    ) => Promise<unknown>;
    await post('/items', { body: { name: 'a' } });
    expect(seen[0]?.body).toBe('{"name":"replaced"}');
    expect(seen[0]?.authorization).toBe('Bearer sandbox-token');
  });
});
