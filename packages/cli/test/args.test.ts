import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../src/args.js';
import { COMMAND_TABLE } from '../src/commands/command-table.js';
import { CliError } from '../src/errors.js';

const parse = (...argv: string[]) => parseCommandLine(argv, COMMAND_TABLE);

function usageErrorOf(argv: string[]): CliError {
  try {
    parse(...argv);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).kind).toBe('usage');
    return error as CliError;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
}

function run(...argv: string[]) {
  const line = parse(...argv);
  if (line.kind !== 'run') throw new Error(`expected a command, got ${line.kind}`);
  return line.parsed;
}

describe('the command tree', () => {
  it.each([
    ['hubspot', 'tickets-update', ['--input', 't.csv']],
    [
      'thought-industries',
      'templates-update',
      ['--input', 't.jsonl', '--base-url', 'https://a.example'],
    ],
    [
      'thought-industries',
      'webinar-import',
      ['--asset-path', 'w.csv', '--base-url', 'https://a.example'],
    ],
    ['vec', 'vault-create', ['--input', 'v.csv']],
    ['mpdx', 'preferences-create', ['--input', 'p.csv', '--account-list', '42']],
  ])('resolves %s %s', (vendor, operation, options) => {
    expect(run(vendor, operation, ...options).command.path).toEqual([vendor, operation]);
  });

  it('resolves the one-word sandbox command with its port', () => {
    const parsed = run('sandbox', '--port', '4010');
    expect(parsed.command.path).toEqual(['sandbox']);
    expect(parsed.values).toEqual({ port: 4010 });
  });
});

describe('--help on every level', () => {
  it.each([
    [[], /Usage: bulk-clients <command>/],
    [['--help'], /hubspot tickets-update +Update HubSpot tickets/],
    [['-h'], /mpdx preferences-create/],
    [
      ['thought-industries', '--help'],
      /Usage: bulk-clients thought-industries <operation>[\s\S]*webinar-import/,
    ],
    [
      ['hubspot', 'tickets-update', '--help'],
      /--id-property NAME[\s\S]*--rate-limit N\/MS[\s\S]*HUBSPOT_TOKEN/,
    ],
    [['hubspot', 'tickets-update', '--input', 'x.csv', '--bogus', '--help'], null],
    [['sandbox', '--help'], /--port N/],
  ] as const)('%j', (argv, pattern) => {
    if (argv.length === 0) {
      expect(usageErrorOf([]).message).toMatch(pattern!);
      return;
    }
    if (pattern === null) {
      // Unknown flags are found before --help is looked at: the user learns what is wrong.
      expect(usageErrorOf([...argv]).flag).toBe('--bogus');
      return;
    }
    const line = parse(...argv);
    expect(line.kind).toBe('help');
    expect(line.kind === 'help' && line.text).toMatch(pattern);
  });

  it('lists only common options on bulk commands', () => {
    const sandbox = parse('sandbox', '--help');
    expect(sandbox.kind === 'help' && sandbox.text).not.toContain('--batch-size');
  });

  it('--version works at any level', () => {
    expect(parse('--version')).toEqual({ kind: 'version' });
    expect(parse('vec', 'vault-create', '--version')).toEqual({ kind: 'version' });
  });
});

describe('usage errors name the flag or word at fault', () => {
  it.each([
    [['nope'], 'nope', /Unknown command "nope"/],
    [['hubspot', 'tickets-delete'], 'tickets-delete', /Operations: tickets-update/],
    [['hubspot'], '<operation>', /Missing a hubspot operation/],
    [['hubspot', 'tickets-update'], '--input', /needs --input/],
    [
      ['thought-industries', 'templates-update', '--input', 'a.csv'],
      '--base-url',
      /needs --base-url/,
    ],
    [['mpdx', 'preferences-create', '--input', 'a.csv'], '--account-list', /needs --account-list/],
    [['hubspot', 'tickets-update', '--input'], '--input', /--input needs a value/],
    [['hubspot', 'tickets-update', '--input', '--json'], '--input', /--input needs a value/],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--batch-size', '0'],
      '--batch-size',
      /integer >= 1/,
    ],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--batch-size', '1.5'],
      '--batch-size',
      /integer/,
    ],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--concurrency', 'x'],
      '--concurrency',
      /integer/,
    ],
    [['hubspot', 'tickets-update', '--input', 'a', '--rate-limit', '10'], '--rate-limit', /N\/MS/],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--rate-limit', '0/100'],
      '--rate-limit',
      /integer from 1 to 1000000/,
    ],
    [['hubspot', 'tickets-update', '--input', 'a', '--rate-limit=-5/100'], '--rate-limit', /N\/MS/],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--rate-limit', '5000000/100'],
      '--rate-limit',
      /integer from 1 to 1000000/,
    ],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--rate-limit', '10/999999999'],
      '--rate-limit',
      /integer from 1 to 86400000/,
    ],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--rate-limit', 'ten/1000'],
      '--rate-limit',
      /N\/MS/,
    ],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--daily-reserve', '0'],
      '--daily-reserve',
      /integer from 1 to 100000000/,
    ],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--daily-reserve=-3'],
      '--daily-reserve',
      /integer/,
    ],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--daily-reserve', 'lots'],
      '--daily-reserve',
      /integer/,
    ],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--daily-reserve', '999999999999'],
      '--daily-reserve',
      /integer from 1 to 100000000/,
    ],
    [['hubspot', 'tickets-update', '--input', 'a', '--format', 'xml'], '--format', /csv, jsonl/],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--timeout', '-1'],
      '--timeout',
      /needs a value/,
    ],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--json=yes'],
      '--json',
      /does not take a value/,
    ],
    [['hubspot', 'tickets-update', '--input', 'a', '--resume'], '--resume', /--journal/],
    [['hubspot', 'tickets-update', '--input', 'a', 'extra'], 'extra', /Unexpected argument/],
    [
      ['hubspot', 'tickets-update', '--input', 'a', '--account-list', '1'],
      '--account-list',
      /Unknown option/,
    ],
    [['sandbox', '--port', '70000'], '--port', /0 to 65535/],
    [['sandbox', '--input', 'a.csv'], '--input', /Unknown option/],
  ])('%j', (argv, flag, message) => {
    const error = usageErrorOf(argv);
    expect(error.flag).toBe(flag);
    expect(error.message).toMatch(message);
  });

  it('does not echo the value of a mistyped flag', () => {
    const error = usageErrorOf([
      'hubspot',
      'tickets-update',
      '--input',
      'a',
      '--tokn=pat-na1-secret',
    ]);
    expect(error.flag).toBe('--tokn');
    expect(error.message).not.toContain('secret');
  });
});

describe('option values', () => {
  it('parses every common option into typed values', () => {
    const { common } = run(
      'hubspot',
      'tickets-update',
      '--input',
      '-',
      '--format',
      'jsonl',
      '--base-url',
      'http://127.0.0.1:4010',
      '--batch-size',
      '50',
      '--concurrency',
      '4',
      '--rate-limit',
      '100/10000',
      '--dry-run',
      '--journal',
      'j.jsonl',
      '--resume',
      '--failed-out',
      'f.jsonl',
      '--report',
      'r.json',
      '--json',
      '--no-progress',
      '--timeout',
      '30000',
      '--max-wait',
      '600000',
      '--token-file',
      't.txt',
      '--allow-insecure',
    );
    expect(common).toEqual({
      input: '-',
      format: 'jsonl',
      baseUrl: 'http://127.0.0.1:4010',
      batchSize: 50,
      concurrency: 4,
      rateLimit: { limit: 100, intervalMs: 10_000 },
      dryRun: true,
      journal: 'j.jsonl',
      resume: true,
      failedOut: 'f.jsonl',
      report: 'r.json',
      json: true,
      progress: false,
      timeoutMs: 30_000,
      maxWaitMs: 600_000,
      tokenFile: 't.txt',
      token: undefined,
      allowInsecure: true,
      enqueue: false,
    });
  });

  it('defaults booleans to false and progress to on', () => {
    const { common, values } = run('hubspot', 'tickets-update', '--input', 't.csv');
    expect(common).toMatchObject({
      dryRun: false,
      resume: false,
      json: false,
      progress: true,
      allowInsecure: false,
    });
    expect(values).toEqual({ input: 't.csv' });
  });

  it('keeps per-command options under camelCase keys', () => {
    const { values } = run(
      'hubspot',
      'tickets-update',
      '--input',
      't.csv',
      '--id-property',
      'hs_ticket_id',
      '--clear-empty',
    );
    expect(values).toMatchObject({ idProperty: 'hs_ticket_id', clearEmpty: true });
  });

  it('accepts --flag=value, also for values that start with a dash', () => {
    expect(run('vec', 'vault-create', '--input=-x.csv').common.input).toBe('-x.csv');
  });

  it('rejects argv that is not an array of strings', () => {
    expect(() => parseCommandLine([1] as never, COMMAND_TABLE)).toThrow(TypeError);
  });
});

describe('queued runs', () => {
  it('takes the run id of runs status as a word, and refuses a second one', () => {
    const table = COMMAND_TABLE;
    const line = parseCommandLine(['runs', 'status', 'abc', '--wait'], table);
    expect(line.kind === 'run' && line.parsed.values).toMatchObject({ runId: 'abc', wait: true });
    expect(() => parseCommandLine(['runs', 'status'], table)).toThrow(/needs RUN-ID/);
    expect(() => parseCommandLine(['runs', 'status', 'a', 'b'], table)).toThrow(
      /Unexpected argument "b"/,
    );
  });

  it('refuses --enqueue with --journal, and --chunk-size without --enqueue', () => {
    const table = COMMAND_TABLE;
    const base = ['mpdx', 'preferences-create', '--input', 'p.csv', '--account-list', 'x'];
    expect(() => parseCommandLine([...base, '--enqueue', '--journal', 'j'], table)).toThrow(
      /--journal cannot go with --enqueue/,
    );
    expect(() => parseCommandLine([...base, '--chunk-size', '10'], table)).toThrow(
      /--chunk-size needs --enqueue/,
    );
  });
});
