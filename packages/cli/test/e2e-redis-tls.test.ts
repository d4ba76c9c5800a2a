import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer, type TestRedisServer } from '@bulk-clients/redis/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, useSandbox } from './e2e-helpers.js';

const PASSWORD = 'tls-pass-4e8b2d9a';
const e2e = useSandbox('redis-tls', { seed: 12 });
let redis: TestRedisServer;
let certFile: string;
let dir: string;

beforeAll(async () => {
  // A certificate for 127.0.0.1 of this test's own, which the CLI trusts through
  // NODE_EXTRA_CA_CERTS, as a user would a private CA.
  dir = await mkdtemp(join(tmpdir(), 'bulk-clients-redis-tls-'));
  certFile = join(dir, 'redis-cert.pem');
  const keyFile = join(dir, 'redis-key.pem');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
  } catch (error) {
    throw new Error(
      `openssl made no certificate (install it with \`apt-get install openssl\`): ${String(error)}`,
    );
  }
  redis = await startRedisServer({ password: PASSWORD, tls: { certFile, keyFile } });
});
afterAll(async () => {
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('--redis rediss://', () => {
  it('shares the budget over TLS, with the password in the URL redacted', async () => {
    const input = e2e.file('tickets.csv');
    const rows = Array.from({ length: 200 }, (_, i) => `${i + 1},Over TLS ${i + 1}`);
    await writeFile(input, `id,subject\n${rows.join('\n')}\n`);
    const url = `rediss://:${PASSWORD}@127.0.0.1:${redis.port}`;
    const args = [
      'hubspot',
      'tickets-update',
      '--base-url',
      e2e.sandbox.url,
      '--input',
      input,
      '--redis',
      url,
      '--rate-limit',
      '50/1000',
      '--json',
    ];
    const result = await runCli(args, { env: cliEnv({ NODE_EXTRA_CA_CERTS: certFile }) });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ total: 200, succeeded: 200 });
    expect(`${result.stdout}${result.stderr}`).not.toContain(PASSWORD);

    // Without trusting the certificate, the CLI refuses to go on: exit 2, nothing sent.
    const untrusted = await runCli(args);
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr).toMatch(/Redis/);
    expect(untrusted.stderr).not.toContain(PASSWORD);
  });
});
