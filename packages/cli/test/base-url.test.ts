import { describe, expect, it } from 'vitest';
import { checkBaseUrl, isLoopbackHost } from '../src/base-url.js';
import { CliError } from '../src/errors.js';

describe('checkBaseUrl', () => {
  it.each([
    ['https://api.hubapi.com', 'https://api.hubapi.com'],
    ['https://acme.thoughtindustries.com/', 'https://acme.thoughtindustries.com'],
    ['https://api.vec.digital:8443', 'https://api.vec.digital:8443'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://127.8.9.10', 'http://127.8.9.10'],
    ['http://localhost:4010/', 'http://localhost:4010'],
    ['http://[::1]:4010', 'http://[::1]:4010'],
    ['http://[::ffff:127.0.0.1]:4010', 'http://[::ffff:7f00:1]:4010'],
  ])('accepts %s', (value, origin) => {
    expect(checkBaseUrl(value)).toBe(origin);
  });

  it.each([
    ['http://api.hubapi.com', /plain HTTP/],
    ['http://10.0.0.1:4010', /plain HTTP/],
    ['http://128.0.0.1', /plain HTTP/],
    ['http://localhost.evil.example', /plain HTTP/],
    ['http://[::2]', /plain HTTP/],
    ['https://api.hubapi.com/crm/v3', /scheme, host and port only/],
    ['https://api.hubapi.com?x=1', /scheme, host and port only/],
    ['https://user:pass@api.hubapi.com', /no credentials/],
    ['ftp://api.hubapi.com', /http or https/],
    ['api.hubapi.com', /absolute URL/],
    ['', /URL string/],
  ])('refuses %s, naming --base-url', (value, message) => {
    let error: unknown;
    try {
      checkBaseUrl(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).flag).toBe('--base-url');
    expect((error as CliError).message).toMatch(message);
    expect((error as CliError).message).toContain('--base-url');
  });

  it('accepts plain HTTP to any host with allowInsecure', () => {
    expect(checkBaseUrl('http://10.0.0.1:4010', { allowInsecure: true })).toBe(
      'http://10.0.0.1:4010',
    );
  });

  it('still refuses a path with allowInsecure', () => {
    expect(() => checkBaseUrl('http://10.0.0.1/x', { allowInsecure: true })).toThrow(CliError);
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['[::1]', true],
    ['[::ffff:7f00:1]', true],
    ['[::ffff:a00:1]', false],
    ['0.0.0.0', false],
    ['126.0.0.1', false],
    ['example.com', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
