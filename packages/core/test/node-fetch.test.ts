import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, unwrap } from '../src/create-api-client.js';
import { createNodeFetch, type NodeFetch } from '../src/node-fetch.js';
import { classifyFailure } from '../src/retry-policy.js';

type Handler = (request: IncomingMessage, body: Buffer, response: ServerResponse) => void;

let server: Server;
let origin: string;
let handler: Handler;
let connections = 0;
let transport: NodeFetch;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks), response));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => transport?.destroy());

const fresh = (options?: Parameters<typeof createNodeFetch>[0]) => {
  transport = createNodeFetch(options);
  return transport;
};

const json = (response: ServerResponse, status: number, value: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
};

describe('createNodeFetch', () => {
  it('sends method, path, query, headers and a string body, and returns the answer', async () => {
    let seen: {
      method?: string;
      url?: string;
      headers?: IncomingMessage['headers'];
      body?: string;
    } = {};
    handler = (request, body, response) => {
      seen = {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: body.toString(),
      };
      response.setHeader('set-cookie', ['a=1', 'b=2']);
      json(response, 201, { ok: true });
    };
    const response = await fresh()(
      new Request(`${origin}/items/batch?mode=all`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trace': 'abc' },
        body: '{"inputs":[1,2]}',
      }),
    );
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/items/batch?mode=all',
      body: '{"inputs":[1,2]}',
      headers: { 'content-type': 'application/json', 'x-trace': 'abc', 'content-length': '16' },
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${origin}/items/batch?mode=all`);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('sends a multipart body with the boundary the Request chose', async () => {
    let contentType = '';
    let body = '';
    handler = (request, raw, response) => {
      contentType = request.headers['content-type'] ?? '';
      body = raw.toString();
      json(response, 200, {});
    };
    const form = new FormData();
    form.append('file', new Blob(['%PDF-1.4 example']), 'certificate.pdf');
    await fresh()(new Request(`${origin}/upload`, { method: 'POST', body: form }));
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
    expect(boundary).toBeDefined();
    expect(body).toContain(`--${boundary}`);
    expect(body).toContain('%PDF-1.4 example');
    expect(body).toContain('filename="certificate.pdf"');
  });

  it('answers 204 with no body and decodes a gzipped body', async () => {
    handler = (request, _body, response) => {
      if (request.url === '/empty') {
        response.writeHead(204);
        response.end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync(JSON.stringify({ zipped: true })));
    };
    const nodeFetch = fresh();
    const empty = await nodeFetch(new Request(`${origin}/empty`, { method: 'DELETE' }));
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const zipped = await nodeFetch(new Request(`${origin}/zipped`));
    expect(await zipped.json()).toEqual({ zipped: true });
  });

  it('does not follow redirects', async () => {
    handler = (_request, _body, response) => {
      response.writeHead(302, { location: '/elsewhere' });
      response.end();
    };
    const response = await fresh()(new Request(`${origin}/moved`));
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/elsewhere');
  });

  it('reuses one keep-alive socket for sequential requests', async () => {
    handler = (_request, _body, response) => json(response, 200, {});
    const before = connections;
    const nodeFetch = fresh();
    for (let count = 0; count < 20; count++) {
      await (await nodeFetch(new Request(`${origin}/ping`, { method: 'POST', body: '{}' }))).json();
    }
    expect(connections - before).toBe(1);
  });

  it('rejects with the signal reason when aborted before or while waiting', async () => {
    handler = () => {
      // never answers: the abort must end the request
    };
    const nodeFetch = fresh();
    const early = new AbortController();
    early.abort(new Error('stopped early'));
    await expect(
      nodeFetch(new Request(`${origin}/slow`, { signal: early.signal })),
    ).rejects.toThrow('stopped early');

    const timeout = AbortSignal.timeout(30);
    const error = await nodeFetch(new Request(`${origin}/slow`, { signal: timeout })).catch(
      (reason: unknown) => reason,
    );
    expect((error as Error).name).toBe('TimeoutError');
    expect(classifyFailure(error)).toMatchObject({ kind: 'unknown', reason: 'timeout' });
  });

  it('fails like fetch when the connection drops before the answer (outcome unknown)', async () => {
    handler = (request) => request.socket.destroy();
    const error = await fresh()(
      new Request(`${origin}/drop`, { method: 'POST', body: '{}' }),
    ).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    expect(classifyFailure(error)).toEqual({ kind: 'unknown', reason: 'ECONNRESET' });
  });

  it('fails when the body ends before its Content-Length (outcome unknown)', async () => {
    handler = (request, _body, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"results":[');
      setTimeout(() => request.socket.destroy(), 5);
    };
    const error = await fresh()(new Request(`${origin}/cut`, { method: 'POST', body: '{}' })).catch(
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(classifyFailure(error)).toEqual({ kind: 'unknown', reason: 'ECONNRESET' });
  });

  it('fails with ECONNREFUSED, safe to send again, when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await fresh()(new Request(`http://127.0.0.1:${port}/`)).catch(
      (reason: unknown) => reason,
    );
    expect(classifyFailure(error)).toEqual({ kind: 'retry', reason: 'ECONNREFUSED' });
  });

  it('refuses other schemes and bad options', async () => {
    await expect(fresh()(new Request('data:text/plain,hello'))).rejects.toThrow(
      'Expected an http: or https: URL, got data:',
    );
    expect(() => createNodeFetch({ maxSockets: 0 })).toThrow('`maxSockets`');
    expect(() => createNodeFetch({ idleSocketMs: 1.5 })).toThrow('`idleSocketMs`');
  });

  it('carries the typed client: auth header, JSON body and ApiError on a 4xx', async () => {
    const seen: string[] = [];
    handler = (request, body, response) => {
      seen.push(`${request.headers.authorization} ${body.toString()}`);
      if (request.url === '/fail') json(response, 422, { message: 'subject is required' });
      else json(response, 200, { id: '7' });
    };
    interface Paths {
      '/items': {
        post: {
          requestBody: { content: { 'application/json': { name: string } } };
          responses: { 200: { content: { 'application/json': { id: string } } } };
        };
      };
      '/fail': {
        post: {
          requestBody: { content: { 'application/json': { name: string } } };
          responses: { 422: { content: { 'application/json': { message: string } } } };
        };
      };
    }
    const api = createApiClient<Paths>(
      { token: 'sandbox-token', baseUrl: origin, fetch: fresh(), rateLimit: false },
      { name: 'Example' },
    );
    expect(unwrap(await api.POST('/items', { body: { name: 'a' } }))).toEqual({ id: '7' });
    const failed = await api.POST('/fail', { body: { name: 'b' } });
    expect(() => unwrap(failed)).toThrow('POST /fail failed with 422: subject is required');
    expect(seen).toEqual([
      'Bearer sandbox-token {"name":"a"}',
      'Bearer sandbox-token {"name":"b"}',
    ]);
  });
});
