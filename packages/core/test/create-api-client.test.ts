import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api-error.js';
import {
  createApiClient,
  rateLimiterOf,
  unwrap,
  type VendorProfile,
} from '../src/create-api-client.js';
import { RateLimiter } from '../src/rate-limiter.js';

type Paths = {
  '/v1/items/batch': {
    post: {
      requestBody: { content: { 'application/json': { inputs: { id: string }[] } } };
      responses: {
        200: { content: { 'application/json': { results: { id: string }[] } } };
        default: { content: { 'application/json': { message: string } } };
      };
    };
  };
};

const TOKEN = 'sandbox-token-5f2c9a';
const vendor: VendorProfile = { name: 'Example', defaultBaseUrl: 'https://api.example.test' };

function recordingFetch(answer: (request: Request) => Response) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request);
    return answer(request);
  };
  return { fetch, requests };
}

describe('createApiClient', () => {
  it('sends the bearer token and the vendor media type', async () => {
    const { fetch, requests } = recordingFetch(() => Response.json({ results: [{ id: '1' }] }));
    const client = createApiClient<Paths>(
      { token: TOKEN, fetch },
      { ...vendor, mediaType: 'application/vnd.api+json' },
    );
    const data = unwrap(await client.POST('/v1/items/batch', { body: { inputs: [{ id: '1' }] } }));
    expect(data).toEqual({ results: [{ id: '1' }] });
    expect(requests[0]?.url).toBe('https://api.example.test/v1/items/batch');
    expect(requests[0]?.headers.get('Authorization')).toBe(`Bearer ${TOKEN}`);
    expect(requests[0]?.headers.get('Content-Type')).toBe('application/vnd.api+json');
  });

  it('throws an ApiError that never shows the token', async () => {
    const { fetch } = recordingFetch(
      () =>
        new Response(JSON.stringify({ message: 'Property "x" does not exist' }), {
          status: 400,
          headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-42' },
        }),
    );
    const client = createApiClient<Paths>(
      { token: TOKEN, fetch, baseUrl: 'http://127.0.0.1:4010' },
      vendor,
    );
    const result = await client.POST('/v1/items/batch', { body: { inputs: [] } });
    let error: unknown;
    try {
      unwrap(result);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'bad_request',
      status: 400,
      method: 'POST',
      requestId: 'req-42',
      body: { message: 'Property "x" does not exist' },
    });
    expect((error as ApiError).message).toBe(
      'POST /v1/items/batch failed with 400: Property "x" does not exist [request req-42]',
    );
    for (const text of [
      (error as ApiError).message,
      (error as ApiError).stack ?? '',
      inspect(error, { depth: 10 }),
      JSON.stringify(error),
      inspect(client, { depth: 10 }),
    ]) {
      expect(text).not.toContain(TOKEN);
    }
  });

  it('reads the retry delay of a 429', async () => {
    const { fetch } = recordingFetch(
      () =>
        new Response('{"message":"slow down"}', { status: 429, headers: { 'Retry-After': '3' } }),
    );
    const client = createApiClient<Paths>({ token: TOKEN, fetch, rateLimit: false }, vendor);
    expect(() => unwrap({ response: new Response(null, { status: 200 }) })).not.toThrow();
    const result = await client.POST('/v1/items/batch', { body: { inputs: [] } });
    expect(() => unwrap(result)).toThrow(
      expect.objectContaining({ code: 'rate_limited', retryAfterMs: 3000 }),
    );
  });

  it.each([
    [{ token: '' }, /token/],
    [{ token: 'a\nb' }, /single line/],
    [{ token: TOKEN, baseUrl: 'https://api.example.test/v1' }, /scheme, host and port only/],
    [{ token: TOKEN, baseUrl: 'ftp://x' }, /http or https/],
    [{ token: TOKEN, rateLimit: 5 as never }, /rateLimit/],
  ])('rejects %o with a TypeError', (options, message) => {
    expect(() => createApiClient<Paths>(options, vendor)).toThrow(message);
  });
});

describe('rate limit of a client', () => {
  it('has none when neither the vendor nor the caller sets one', () => {
    const client = createApiClient<Paths>({ token: TOKEN }, vendor);
    expect(rateLimiterOf(client)).toBeUndefined();
  });

  it('uses the vendor default and exposes it', () => {
    const client = createApiClient<Paths>(
      { token: TOKEN },
      { ...vendor, rateLimit: { requests: 120, perMs: 60_000, burst: 20 } },
    );
    expect(rateLimiterOf(client)?.budget).toEqual({
      requests: 120,
      perMs: 60_000,
      source: 'default',
    });
  });

  it('shares one limiter between clients and passes every request through it', async () => {
    const limiter = new RateLimiter({ requests: 100, perMs: 1000 });
    const { fetch } = recordingFetch(() => Response.json({ results: [] }));
    const a = createApiClient<Paths>({ token: TOKEN, fetch, rateLimit: limiter }, vendor);
    const b = createApiClient<Paths>({ token: TOKEN, fetch, rateLimit: limiter }, vendor);
    await a.POST('/v1/items/batch', { body: { inputs: [] } });
    await b.POST('/v1/items/batch', { body: { inputs: [] } });
    expect(rateLimiterOf(a)).toBe(limiter);
    expect(limiter.stats.granted).toBe(2);
  });

  it('pauses on a 429 using the vendor headers', async () => {
    const { fetch } = recordingFetch(
      () =>
        new Response('{}', {
          status: 429,
          headers: { 'X-Wait-Ms': '2500', 'Content-Type': 'application/json' },
        }),
    );
    const client = createApiClient<Paths>(
      { token: TOKEN, fetch },
      {
        ...vendor,
        rateLimit: { requests: 100, perMs: 1000 },
        retryAfter: (response) => Number(response.headers.get('X-Wait-Ms')),
      },
    );
    await client.POST('/v1/items/batch', { body: { inputs: [] } });
    const limiter = rateLimiterOf(client) as RateLimiter;
    expect(limiter.stats.throttled).toBe(1);
    expect(limiter.pausedForMs).toBeGreaterThan(2000);
  });

  it('turns off with rateLimit: false', () => {
    const client = createApiClient<Paths>(
      { token: TOKEN, rateLimit: false },
      { ...vendor, rateLimit: { requests: 1, perMs: 1 } },
    );
    expect(rateLimiterOf(client)).toBeUndefined();
  });
});
