import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { createRedactor, REDACTED } from '../src/redact.js';
import { resolveToken, TOKEN_ENV, TOKEN_FLAG_WARNING } from '../src/token.js';

const TOKEN = 'pat-na1-sandbox-token-7f3a';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulk-clients-token-'));
});

async function tokenFile(name: string, content: string, mode = 0o600): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

async function authError(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).kind).toBe('auth');
  return error as CliError;
}

describe('resolveToken', () => {
  it.each(Object.entries(TOKEN_ENV))(
    'reads the %s token from %s, trimmed',
    async (vendor, variable) => {
      const resolved = await resolveToken({ vendor, env: { [variable]: `  ${TOKEN}\n` } });
      expect(resolved).toEqual({ token: TOKEN, source: variable, warnings: [] });
    },
  );

  it('names the four variables of the contract', () => {
    expect(TOKEN_ENV).toEqual({
      hubspot: 'HUBSPOT_TOKEN',
      'thought-industries': 'THOUGHT_INDUSTRIES_API_KEY',
      vec: 'VEC_TOKEN',
      mpdx: 'MPDX_TOKEN',
    });
  });

  it('prefers --token-file over the environment and trims the file', async () => {
    const path = await tokenFile('token.txt', `${TOKEN}\r\n`);
    const resolved = await resolveToken({
      vendor: 'vec',
      tokenFile: path,
      env: { VEC_TOKEN: 'other' },
    });
    expect(resolved).toEqual({ token: TOKEN, source: `--token-file ${path}`, warnings: [] });
  });

  it('warns when the token file is readable by others', async () => {
    const path = await tokenFile('open.txt', TOKEN, 0o644);
    const { warnings } = await resolveToken({ vendor: 'vec', tokenFile: path });
    expect(warnings).toEqual([expect.stringContaining(`chmod 600 ${path}`)]);
  });

  it('accepts --token with a warning about shell history and ps', async () => {
    const resolved = await resolveToken({
      vendor: 'mpdx',
      token: TOKEN,
      env: { MPDX_TOKEN: 'other' },
    });
    expect(resolved).toEqual({ token: TOKEN, source: '--token', warnings: [TOKEN_FLAG_WARNING] });
    expect(TOKEN_FLAG_WARNING).toMatch(/shell history/);
  });

  it.each([
    ['no token at all', {}, /set HUBSPOT_TOKEN or pass --token-file FILE/],
    ['a blank variable', { env: { HUBSPOT_TOKEN: '  ' } }, /set HUBSPOT_TOKEN/],
    ['a multi-line variable', { env: { HUBSPOT_TOKEN: `${TOKEN}\n${TOKEN}` } }, /single line/],
    [
      'a missing token file',
      { tokenFile: '/nonexistent/token' },
      /Cannot read --token-file \/nonexistent\/token: ENOENT/,
    ],
  ])('fails with an auth error on %s', async (_, options, message) => {
    const error = await authError(resolveToken({ vendor: 'hubspot', env: {}, ...options }));
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(TOKEN);
  });

  it('fails on an empty token file, naming the file and not the content', async () => {
    const path = await tokenFile('empty.txt', '\n\n');
    const error = await authError(resolveToken({ vendor: 'hubspot', tokenFile: path }));
    expect(error.message).toBe(`The token from --token-file ${path} is empty`);
  });

  it('never shows a multi-line token in its error', async () => {
    const path = await tokenFile('two.txt', `${TOKEN}\nsecond-line`);
    const error = await authError(resolveToken({ vendor: 'hubspot', tokenFile: path }));
    for (const text of [error.message, error.stack ?? '', inspect(error)])
      expect(text).not.toContain(TOKEN);
  });

  it('rejects an unknown vendor with a TypeError', async () => {
    await expect(resolveToken({ vendor: 'acme' })).rejects.toThrow(TypeError);
  });
});

describe('createRedactor', () => {
  it.each([
    ['plain text', `Bearer ${TOKEN} failed`, `Bearer ${REDACTED} failed`],
    ['JSON', JSON.stringify({ auth: TOKEN }), `{"auth":"${REDACTED}"}`],
    ['several occurrences', `${TOKEN}${TOKEN}`, `${REDACTED}${REDACTED}`],
    ['text without the token', 'nothing to hide', 'nothing to hide'],
  ])('hides the token in %s', (_, text, expected) => {
    expect(createRedactor([TOKEN]).redact(text)).toBe(expected);
  });

  it('hides the JSON-escaped and URL-encoded forms of a token with special characters', () => {
    const token = 'ti_test_a"b\\c/d e';
    const { redact } = createRedactor([token]);
    for (const form of [token, JSON.stringify(token).slice(1, -1), encodeURIComponent(token)]) {
      expect(redact(`x${form}y`)).toBe(`x${REDACTED}y`);
    }
    expect(redact(JSON.stringify({ token }))).toBe(`{"token":"${REDACTED}"}`);
  });

  it('treats regular-expression characters in a token literally', () => {
    const { redact } = createRedactor(['a.c']);
    expect(redact('abc a.c')).toBe(`abc ${REDACTED}`);
  });

  it('learns secrets added later and ignores empty ones', () => {
    const redactor = createRedactor();
    expect(redactor.redact(TOKEN)).toBe(TOKEN);
    redactor.add('');
    redactor.add(TOKEN);
    expect(redactor.redact(`[${TOKEN}]`)).toBe(`[${REDACTED}]`);
  });
});
