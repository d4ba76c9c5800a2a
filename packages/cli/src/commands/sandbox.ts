import { type SandboxOptions, startSandbox } from '@bulk-clients/sandbox';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { TOKEN_ENV } from '../token.js';
import type { CommandContext } from './registry.js';

export { SANDBOX_OPTIONS } from './sandbox-options.js';

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
  const mode = values.rateLimitMode as NonNullable<SandboxOptions['rateLimit']>['mode'];
  if (mode !== undefined) {
    if (!options.rateLimit) {
      throw new CliError('usage', '--rate-limit-mode needs --rate-limit N/MS', {
        flag: '--rate-limit-mode',
      });
    }
    options.rateLimit.mode = mode;
  }
  if (typeof values.dailyLimit === 'number') options.dailyLimit = values.dailyLimit;
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
