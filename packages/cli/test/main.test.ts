import { describe, expect, it } from 'vitest';
import { CommandRegistry } from '../src/commands/registry.js';
import { CliError } from '../src/errors.js';
import { ExitCode } from '../src/exit-codes.js';
import { main } from '../src/main.js';
import { chunked, fakeStream } from './helpers.js';

const TOKEN = 'pat-na1-main-token-55aa';

function harness(registry = new CommandRegistry()) {
  const stdout = fakeStream();
  const stderr = fakeStream();
  const io = { stdout, stderr, env: { HUBSPOT_TOKEN: TOKEN }, stdin: chunked('') };
  return {
    stdout,
    stderr,
    run: (argv: string[], signal?: AbortSignal) =>
      main(argv, { io, registry, version: '9.9.9', ...(signal ? { signal } : {}) }),
  };
}

describe('main', () => {
  it('prints help on stdout and exits 0', async () => {
    const { stdout, stderr, run } = harness();
    expect(await run(['--help'])).toBe(ExitCode.Success);
    expect(stdout.text()).toMatch(/^Usage: bulk-clients/);
    expect(stderr.text()).toBe('');
  });

  it('prints the version', async () => {
    const { stdout, run } = harness();
    expect(await run(['--version'])).toBe(0);
    expect(stdout.text()).toBe('9.9.9\n');
  });

  it('reads the version from package.json by default', async () => {
    const stdout = fakeStream();
    await main(['--version'], { io: { stdout, stderr: fakeStream() } });
    expect(stdout.text()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [['nope'], /Unknown command "nope"/, 'Run "bulk-clients --help" for usage.'],
    [
      ['hubspot', 'tickets-update', '--input', 'a.csv', '--batch-size', 'x'],
      /--batch-size must be/,
      'Run "bulk-clients hubspot tickets-update --help" for usage.',
    ],
    [
      ['hubspot', 'nope'],
      /Unknown hubspot operation/,
      'Run "bulk-clients hubspot --help" for usage.',
    ],
    [[], /Missing a command/, 'Run "bulk-clients --help" for usage.'],
  ])('exits 2 on a usage error: %j', async (argv, message, hint) => {
    const { stdout, stderr, run } = harness();
    expect(await run(argv)).toBe(ExitCode.Usage);
    expect(stderr.text()).toMatch(message);
    expect(stderr.text()).toContain(hint);
    expect(stdout.text()).toBe('');
  });

  it('exits 2 for a command of the table that no module registered', async () => {
    const { stderr, run } = harness();
    expect(await run(['vec', 'vault-create', '--input', 'a.csv'])).toBe(2);
    expect(stderr.text()).toContain('bulk-clients vec vault-create is not available in this build');
  });

  it('runs a registered handler with the parsed command and returns its code', async () => {
    const registry = new CommandRegistry().register(
      'hubspot tickets-update',
      async ({ parsed, io }) => {
        io.stdout.write(`${parsed.common.input} ${parsed.values.idProperty}\n`);
        return 1;
      },
    );
    const { stdout, run } = harness(registry);
    expect(
      await run(['hubspot', 'tickets-update', '--input', 't.csv', '--id-property', 'ref']),
    ).toBe(1);
    expect(stdout.text()).toBe('t.csv ref\n');
  });

  it('lets a registration add options (e.g. the sandbox settings)', async () => {
    const registry = new CommandRegistry().register(
      'sandbox',
      async ({ parsed }) => (parsed.values.seed === 'abc' ? 0 : 1),
      [{ name: 'seed', type: 'string', description: 'Seed of the simulated data.' }],
    );
    const { run } = harness(registry);
    expect(await run(['sandbox', '--seed', 'abc'])).toBe(0);
  });

  it('redacts the token everywhere once the handler registered it, also in unexpected errors', async () => {
    const registry = new CommandRegistry().register(
      'hubspot tickets-update',
      async ({ io, redactor }) => {
        redactor.add(TOKEN);
        io.stdout.write(`stdout ${TOKEN}\n`);
        io.stderr.write(`stderr ${TOKEN}\n`);
        throw new Error(`request with Bearer ${TOKEN} failed`);
      },
    );
    const { stdout, stderr, run } = harness(registry);
    expect(await run(['hubspot', 'tickets-update', '--input', 't.csv'])).toBe(1);
    expect(stdout.text() + stderr.text()).not.toContain(TOKEN);
    expect(stderr.text()).toContain('request with Bearer [REDACTED] failed');
  });

  it('prints the stack of an unexpected error only with BULK_CLIENTS_DEBUG, redacted', async () => {
    const registry = new CommandRegistry().register(
      'hubspot tickets-update',
      async ({ redactor }) => {
        redactor.add(TOKEN);
        throw new Error(`boom ${TOKEN}`);
      },
    );
    for (const debug of [false, true]) {
      const stderr = fakeStream();
      const env = debug ? { BULK_CLIENTS_DEBUG: '1' } : {};
      const code = await main(['hubspot', 'tickets-update', '--input', 't.csv'], {
        registry,
        io: { stderr, stdout: fakeStream(), env },
      });
      expect(code).toBe(1);
      expect(stderr.text().includes('    at ')).toBe(debug);
      expect(stderr.text()).not.toContain(TOKEN);
    }
  });

  it('exits 2 for a CliError raised by a handler before writing', async () => {
    const registry = new CommandRegistry().register('mpdx preferences-create', async () => {
      throw new CliError('auth', 'No API token: set MPDX_TOKEN or pass --token-file FILE');
    });
    const { stderr, run } = harness(registry);
    expect(
      await run(['mpdx', 'preferences-create', '--input', 'p.csv', '--account-list', '1']),
    ).toBe(2);
    expect(stderr.text()).toBe(
      'bulk-clients: No API token: set MPDX_TOKEN or pass --token-file FILE\n',
    );
  });

  it('exits 130 when interrupted, whatever the handler returns or throws', async () => {
    for (const outcome of ['return', 'throw'] as const) {
      const controller = new AbortController();
      const registry = new CommandRegistry().register('vec vault-create', async ({ signal }) => {
        controller.abort();
        expect(signal.aborted).toBe(true);
        if (outcome === 'throw') throw new Error('aborted');
        return 1;
      });
      const { run } = harness(registry);
      expect(await run(['vec', 'vault-create', '--input', 'v.csv'], controller.signal)).toBe(
        ExitCode.Interrupted,
      );
    }
  });
});

describe('CommandRegistry', () => {
  it('refuses an unknown path, a duplicate and a non-function', () => {
    const registry = new CommandRegistry();
    expect(() => registry.register('hubspot nope', async () => 0)).toThrow(TypeError);
    registry.register('hubspot tickets-update', async () => 0);
    expect(() => registry.register('hubspot tickets-update', async () => 0)).toThrow(/twice/);
    expect(() => registry.register('sandbox', 'x' as never)).toThrow(TypeError);
  });

  it('does not change the shared table when options are added', () => {
    new CommandRegistry().register('sandbox', async () => 0, [
      { name: 'seed', type: 'string', description: 'x' },
    ]);
    const fresh = new CommandRegistry();
    expect(fresh.table.find((c) => c.path[0] === 'sandbox')?.options.map((o) => o.name)).toEqual([
      'port',
    ]);
  });
});
