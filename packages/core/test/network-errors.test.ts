import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, unwrap } from '../src/create-api-client.js';
import { classifyFailure } from '../src/retry-policy.js';

type Paths = {
  [path: string]: {
    post: {
      requestBody: { content: { 'application/json': unknown } };
      responses: { 200: { content: { 'application/json': unknown } } };
    };
  };
};

/** Real undici failures against a loopback server, to check the classification on real errors. */
describe('classifyFailure on real fetch errors', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.url === '/reset') {
          // The body arrived, then the connection dies: the write may have happened.
          request.socket.destroy();
        } else if (request.url === '/truncated') {
          response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '40' });
          response.write('{"results":[{"id":');
          setTimeout(() => request.socket.destroy(), 5);
        } else if (request.url === '/bad-json') {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end('{"results":[');
        } else if (request.url === '/unavailable') {
          response.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '2' });
          response.end('{"message":"maintenance"}');
        } else {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end('{"results":[]}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const post = async (path: string, url = baseUrl) => {
    const client = createApiClient<Paths>(
      { token: 'sandbox-token', baseUrl: url, rateLimit: false },
      { name: 'Loopback' },
    );
    try {
      unwrap(await client.POST(path, { body: { inputs: [1] } }));
      return undefined;
    } catch (error) {
      return error;
    }
  };

  it('a connection reset after the body was sent is unknown', async () => {
    expect(classifyFailure(await post('/reset'))).toMatchObject({ kind: 'unknown' });
  });

  it('a body cut short is unknown', async () => {
    expect(classifyFailure(await post('/truncated'))).toMatchObject({ kind: 'unknown' });
  });

  it('a 200 with invalid JSON is unknown', async () => {
    expect(classifyFailure(await post('/bad-json'))).toMatchObject({
      kind: 'unknown',
      reason: 'invalid_response',
    });
  });

  it('a 503 is retryable and carries its Retry-After', async () => {
    expect(classifyFailure(await post('/unavailable'))).toEqual({
      kind: 'retry',
      reason: 'http_503',
      retryAfterMs: 2000,
    });
  });

  it('a refused connection is safe to retry', async () => {
    // Bind a port, close it, and connect to it: nothing listens there any more.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect(classifyFailure(await post('/ok', `http://127.0.0.1:${port}`))).toEqual({
      kind: 'retry',
      reason: 'ECONNREFUSED',
    });
  });

  it('a request aborted by a timeout signal is unknown', async () => {
    const client = createApiClient<Paths>(
      { token: 'sandbox-token', baseUrl, rateLimit: false },
      { name: 'Loopback' },
    );
    const error = await client
      .POST('/ok', {
        body: {},
        signal: AbortSignal.abort(new DOMException('slow', 'TimeoutError')),
      })
      .catch((caught: unknown) => caught);
    expect(classifyFailure(error)).toMatchObject({ kind: 'unknown', reason: 'timeout' });
  });
});
