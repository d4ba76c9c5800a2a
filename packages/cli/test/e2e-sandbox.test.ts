import { beforeAll, describe, expect, it } from 'vitest';
import { buildCliIfStale, runCli, startCli, waitFor } from './e2e-helpers.js';

beforeAll(() => buildCliIfStale(), 60_000);

describe('bulk-clients sandbox', () => {
  it('serves the four APIs, prints the URL and the token, and stops on SIGINT (exit 130)', async () => {
    const server = startCli(['sandbox', '--port', '0', '--token', 'local-token', '--seed', '7']);
    let stdout = '';
    server.child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
    });
    await waitFor(() => stdout.includes('Stop it with Ctrl-C.'));
    const url = stdout.split('\n')[0]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stdout).toContain('Token: local-token');
    expect(stdout).toContain('HUBSPOT_TOKEN=local-token');
    const response = await fetch(`${url}/crm/v3/objects/tickets/1`, {
      headers: { authorization: 'Bearer local-token' },
    });
    expect(response.status).toBe(200);
    server.child.kill('SIGINT');
    const result = await server.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Sandbox closed');
  });

  it.each([
    [['sandbox', '--error-rate', '2'], /--error-rate must be a number from 0 to 1/],
    [['sandbox', '--port', '70000'], /--port must be an integer from 0 to 65535/],
    [['sandbox', '--rate-limit', '0/1000'], /--rate-limit/],
    [['sandbox', '--rate-limit', '5000000/1000'], /--rate-limit/],
    [['sandbox', '--rate-limit', '10/999999999999'], /--rate-limit/],
    [['sandbox', '--rate-limit', '10/1000', '--rate-limit-mode', 'leaky'], /--rate-limit-mode/],
    [['sandbox', '--rate-limit-mode', 'fixed'], /--rate-limit-mode needs --rate-limit/],
    [['sandbox', '--daily-limit', '0'], /--daily-limit/],
    [['sandbox', '--daily-limit', 'many'], /--daily-limit/],
    [['sandbox', '--daily-limit', '99999999999'], /--daily-limit must be an integer from 1 to/],
  ])('exits 2 for %j', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('limits requests as --rate-limit, --rate-limit-mode and --daily-limit say', async () => {
    const server = startCli([
      'sandbox',
      '--port',
      '0',
      '--rate-limit',
      '1/60000',
      '--rate-limit-mode',
      'rolling',
      '--daily-limit',
      '5',
    ]);
    let stdout = '';
    server.child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
    });
    await waitFor(() => stdout.includes('Stop it with Ctrl-C.'));
    const url = stdout.split('\n')[0]!;
    const get = () =>
      fetch(`${url}/crm/v3/objects/tickets/1`, {
        headers: { authorization: 'Bearer sandbox-token' },
      });
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBe('1');
    expect(first.headers.get('x-hubspot-ratelimit-daily')).toBe('5');
    expect(first.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('4');
    const second = await get();
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING' });
    server.child.kill('SIGINT');
    expect((await server.done).code).toBe(130);
  });
});

describe('bulk-clients', () => {
  it.each([
    [['--help'], /Usage: bulk-clients <command>/],
    [['hubspot', '--help'], /tickets-update/],
    [['mpdx', 'preferences-create', '--help'], /--account-list ID/],
    [['--version'], /^\d+\.\d+\.\d+\n$/],
  ])('prints %j and exits 0', async (args, text) => {
    const result = await runCli(args);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(text);
  });
});
