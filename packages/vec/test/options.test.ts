import { rateLimiterOf } from '@bulk-clients/core';
import { createRecordingFetch } from '@bulk-clients/core/testing';
import { describe, expect, it } from 'vitest';
import { createVecClient, vecDefaults } from '../src/index.js';

const respondEmpty = () => ({ status: 200, body: { data: [] } });

describe('createVecClient options', () => {
  it('sends requests to the production host by default', async () => {
    const transport = createRecordingFetch(respondEmpty);
    const vec = createVecClient({ token: 'sandbox-token', fetch: transport.fetch });
    await vec.api.GET('/business/certificate-vault');
    expect(transport.requests[0]?.url.origin).toBe(vecDefaults.baseUrl);
  });

  it('sends extra headers with every request', async () => {
    const transport = createRecordingFetch(respondEmpty);
    const vec = createVecClient({
      token: 'sandbox-token',
      fetch: transport.fetch,
      headers: { 'User-Agent': 'certificate-import/1.0' },
    });
    await vec.api.GET('/business/certificate-vault');
    expect(transport.requests[0]?.headers.get('user-agent')).toBe('certificate-import/1.0');
  });

  it('puts the assumed vault budget in front of every request unless told otherwise', () => {
    const limited = createVecClient({ token: 'sandbox-token' });
    expect(rateLimiterOf(limited.api)).toMatchObject(vecDefaults.rateLimit);
    const own = createVecClient({
      token: 'sandbox-token',
      rateLimit: { requests: 5, perMs: 1_000 },
    });
    expect(rateLimiterOf(own.api)).toMatchObject({ requests: 5, perMs: 1_000 });
    expect(
      rateLimiterOf(createVecClient({ token: 'sandbox-token', rateLimit: false }).api),
    ).toBeUndefined();
  });

  it('keeps the token out of inspect and JSON of the client', () => {
    const vec = createVecClient({ token: 'sandbox-token' });
    expect(JSON.stringify(vec)).not.toContain('sandbox-token');
    expect(Object.isFrozen(vec)).toBe(true);
  });

  it.each([
    ['an empty token', { token: '' }, /token/],
    ['a token with a newline', { token: 'sandbox-token\nX-Evil: 1' }, /token/],
    [
      'a base URL with a path',
      { token: 'sandbox-token', baseUrl: 'https://api.vec.digital/business' },
      /baseUrl/,
    ],
    [
      'a base URL that is not a URL',
      { token: 'sandbox-token', baseUrl: 'api.vec.digital' },
      /baseUrl/,
    ],
  ])('throws a TypeError naming the argument for %s', (_label, options, argument) => {
    expect(() => createVecClient(options)).toThrow(TypeError);
    expect(() => createVecClient(options)).toThrow(argument);
  });
});
