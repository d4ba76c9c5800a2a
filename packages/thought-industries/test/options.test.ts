import { inspect } from 'node:util';
import { createRecordingFetch } from '@bulk-clients/core/testing';
import { describe, expect, it } from 'vitest';
import { createThoughtIndustriesClient, instanceBaseUrl } from '../src/index.js';

const token = 'ti_test_example';

describe('createThoughtIndustriesClient options', () => {
  it('builds the host from `instance`', async () => {
    const transport = createRecordingFetch(() => ({ status: 200, body: {} }));
    const client = createThoughtIndustriesClient({
      token,
      instance: 'Acme',
      fetch: transport.fetch,
    });
    expect(client.baseUrl).toBe('https://acme.thoughtindustries.com');
    await client.api.GET('/incoming/v2/jobs/{id}', { params: { path: { id: 'x' } } });
    expect(transport.requests[0]?.url.href).toBe(
      'https://acme.thoughtindustries.com/incoming/v2/jobs/x',
    );
  });

  it('strips a trailing slash from `baseUrl`', () => {
    const client = createThoughtIndustriesClient({ token, baseUrl: 'http://127.0.0.1:4010/' });
    expect(client.baseUrl).toBe('http://127.0.0.1:4010');
  });

  it('sends extra headers with every request', async () => {
    const transport = createRecordingFetch(() => ({ status: 200, body: {} }));
    const client = createThoughtIndustriesClient({
      token,
      instance: 'acme',
      fetch: transport.fetch,
      headers: { 'User-Agent': 'bulk-clients-test' },
    });
    await client.api.GET('/incoming/v2/jobs/{id}', { params: { path: { id: 'x' } } });
    expect(transport.requests[0]?.headers.get('user-agent')).toBe('bulk-clients-test');
  });

  it('keeps the token out of inspect output', () => {
    const client = createThoughtIndustriesClient({ token, instance: 'acme' });
    expect(inspect(client, { depth: 10 })).not.toContain(token);
  });

  describe.each([
    {
      name: 'neither baseUrl nor instance',
      options: { token },
      argument: '`baseUrl` or `instance`',
    },
    {
      name: 'both baseUrl and instance',
      options: { token, instance: 'acme', baseUrl: 'https://acme.thoughtindustries.com' },
      argument: '`baseUrl` or `instance`',
    },
    {
      name: 'an instance with a dot',
      options: { token, instance: 'acme.evil' },
      argument: '`instance`',
    },
    {
      name: 'a baseUrl with a path',
      options: { token, baseUrl: 'https://a.thoughtindustries.com/incoming' },
      argument: '`baseUrl`',
    },
    { name: 'an empty token', options: { token: '', instance: 'acme' }, argument: '`token`' },
  ])('with $name', ({ options, argument }) => {
    it('throws a TypeError naming the argument', () => {
      expect(() => createThoughtIndustriesClient(options)).toThrow(TypeError);
      expect(() => createThoughtIndustriesClient(options)).toThrow(argument);
    });
  });

  it('rejects a non-object', () => {
    expect(() => createThoughtIndustriesClient(undefined as never)).toThrow(/`options`/);
  });
});

describe('instanceBaseUrl', () => {
  it('lower-cases the subdomain', () => {
    expect(instanceBaseUrl('ACME-Learning')).toBe('https://acme-learning.thoughtindustries.com');
  });
});
