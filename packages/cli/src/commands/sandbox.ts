import { type SandboxOptions, startSandbox } from '@bulk-clients/sandbox';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { nonEmpty, nonNegativeInteger, type OptionParser, rateLimit } from '../option-parsers.js';
import { TOKEN_ENV } from '../token.js';
import type { OptionSpec } from './command-spec.js';
import type { CommandContext } from './registry.js';

const probability: OptionParser<number> = (raw, flag) => {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !(value >= 0 && value <= 1)) {
    throw new CliError('usage', `${flag} must be a number from 0 to 1; got "${raw}"`, { flag });
  }
  return value;
};

/** The sandbox options of `bulk-clients sandbox`, besides `--port` (in the command table). */
export const SANDBOX_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'seed',
    type: 'string',
    valueName: 'N',
    parse: nonEmpty,
    description: 'Seed of generated data and fault decisions (default: 1).',
  },
  {
    name: 'token',
    type: 'string',
    valueName: 'TOKEN',
    parse: nonEmpty,
    description: 'Bearer token the simulators accept (default: sandbox-token).',
  },
  {
    name: 'latency-ms',
    type: 'string',
    valueName: 'MS',
    parse: nonNegativeInteger,
    description: 'Latency added to every request (default: 0).',
  },
  {
    name: 'rate-limit',
    type: 'string',
    valueName: 'N/MS',
    parse: rateLimit,
    description: 'Answer 429 beyond N requests per MS milliseconds, per API (default: none).',
  },
  {
    name: 'error-rate',
    type: 'string',
    valueName: 'P',
    parse: probability,
    description: 'Probability from 0 to 1 of answering 500/502/503/504 (default: 0).',
  },
  {
    name: 'job-ms',
    type: 'string',
    valueName: 'MS',
    parse: nonNegativeInteger,
    description: 'Time a background job or vault batch takes to settle (default: 1000).',
  },
];

/**
 * `bulk-clients sandbox`: serves the simulators of the four APIs on loopback until SIGINT or
 * SIGTERM. Prints the URL alone on the first line of stdout (scripts read it), then how to point
 * the other commands at it.
 */
export async function sandbox(context: CommandContext): Promise<number> {
  const { values } = context.parsed;
  const { io, signal } = context;
  const options: SandboxOptions = {};
  if (typeof values.port === 'number') options.port = values.port;
  if (typeof values.seed === 'string') {
    options.seed = /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  }
  if (typeof values.token === 'string') {
    if (/\s/.test(values.token)) {
      throw new CliError('usage', '--token must not contain spaces', { flag: '--token' });
    }
    options.token = values.token;
  }
  if (typeof values.latencyMs === 'number') options.latencyMs = values.latencyMs;
  const limit = values.rateLimit as { limit: number; intervalMs: number } | undefined;
  if (limit) options.rateLimit = { requests: limit.limit, perMs: limit.intervalMs };
  if (typeof values.errorRate === 'number') options.errorRate = values.errorRate;
  if (typeof values.jobMs === 'number') options.jobMs = values.jobMs;

  if (signal.aborted) return ExitCode.Interrupted;
  let server: Awaited<ReturnType<typeof startSandbox>>;
  try {
    server = await startSandbox(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      'config',
      `Cannot start the sandbox: ${code === 'EADDRINUSE' ? `port ${options.port} is in use` : (error as Error).message}`,
      { flag: '--port', cause: error },
    );
  }
  const token = options.token ?? 'sandbox-token';
  io.stdout.write(`${server.url}\n`);
  const variables = Object.values(TOKEN_ENV)
    .map((name) => `${name}=${token}`)
    .join(' ');
  io.stdout.write(
    [
      `Sandbox of HubSpot, Thought Industries, VEC.digital and MPDX listening on ${server.url}`,
      `Token: ${token} (a sandbox token, accepted only here)`,
      `Try:   export ${variables}`,
      `       bulk-clients hubspot tickets-update --base-url ${server.url} --input tickets.csv`,
      'Stop it with Ctrl-C.',
      '',
    ].join('\n'),
  );
  for (const warning of server.warnings) io.stderr.write(`warning: ${warning}\n`);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
  io.stderr.write('Sandbox closed\n');
  return ExitCode.Interrupted;
}
