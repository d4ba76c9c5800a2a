import type { BulkAdapter } from '@bulk-clients/core';
import type { ChunkEntry, ChunkWorkerEvent, RunDefinition, RunSession } from '@bulk-clients/redis';
import { parsedCommandOf } from '../args.js';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { formatCount } from '../output/format.js';
import type { BulkRunHost, HostedBulkRun } from './bulk-run-host.js';
import { connectQueueRedis } from './queue-redis.js';
import type { CommandContext, CommandRegistry } from './registry.js';

/** How often an idle worker asks whether the queue is empty (`--exit-when-idle`). */
const IDLE_CHECK_MS = 500;
/** The same Redis error is printed at most once in this many ms. */
const ERROR_REPEAT_MS = 10_000;

/**
 * `bulk-clients worker`: takes chunks of queued runs from Redis and writes each through the
 * same vendor command a local run uses, built from the run's parameters and the token in this
 * machine's environment (`HUBSPOT_TOKEN`, `MPDX_TOKEN`, ...). SIGINT/SIGTERM: no new chunk is taken, the chunks held are settled, exit 0.
 */
export async function worker(context: CommandContext, registry: CommandRegistry): Promise<number> {
  const { values } = context.parsed;
  const { io } = context;
  const { redisPackage, redis, label, settings, close } = await connectQueueRedis(context);
  const openRun = async (run: RunDefinition): Promise<RunSession> => {
    try {
      return await openRunSession(context, registry, run, settings);
    } catch (error) {
      // The run's parameters were checked where it was enqueued: a command that cannot start
      // here lacks something of this machine's (the vendor's token, a file, the command itself).
      if (error instanceof CliError || error instanceof MissingCommandError) {
        throw new redisPackage.CannotTakeRunError(error.message, { cause: error });
      }
      throw error;
    }
  };
  let lastError = '';
  let lastErrorAt = 0;
  const onEvent = (event: ChunkWorkerEvent) => {
    const where = 'chunk' in event ? `run ${event.runId} chunk ${event.chunk}` : '';
    switch (event.type) {
      case 'chunk-settled': {
        const { outcome } = event;
        const seconds = ((outcome.finishedAt - outcome.startedAt) / 1000).toFixed(1);
        io.stderr.write(
          `${where}: ${formatCount(outcome.succeeded)} succeeded, ${formatCount(outcome.failed)} failed, ` +
            `${formatCount(outcome.unknown)} unknown, ${formatCount(outcome.skipped)} skipped in ${seconds} s` +
            `${outcome.attempts > 1 ? ` (attempt ${outcome.attempts})` : ''}\n`,
        );
        break;
      }
      case 'run-declined':
        io.stderr.write(
          `run ${event.runId}: this worker cannot take it (${event.reason}); its chunks are left for another worker\n`,
        );
        break;
      case 'chunk-retry':
        io.stderr.write(
          `${where}: attempt ${event.attempt} failed (${event.error.message}); it will be tried again\n`,
        );
        break;
      case 'error': {
        const message = event.error.message;
        const now = Date.now();
        if (message === lastError && now - lastErrorAt < ERROR_REPEAT_MS) break;
        lastError = message;
        lastErrorAt = now;
        io.stderr.write(
          `worker: Redis at ${label}: ${message}; the chunks held are taken up again once it answers\n`,
        );
        break;
      }
      default:
        break;
    }
  };
  const chunkWorker = redisPackage.createChunkWorker({
    redis,
    prefix: settings.prefix,
    openRun,
    concurrency: values.concurrency as number | undefined,
    lockDurationMs: values.lockDuration as number | undefined,
    stalledIntervalMs: values.stalledInterval as number | undefined,
    onEvent,
  });
  io.stderr.write(
    `worker ${chunkWorker.id}: taking chunks from ${label} (concurrency ${(values.concurrency as number | undefined) ?? 1})\n`,
  );
  const stopped = new Promise<void>((resolve) => {
    if (context.signal.aborted) resolve();
    context.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  if (values.exitWhenIdle === true) {
    await Promise.race([stopped, waitUntilIdle(chunkWorker, context.signal)]);
    if (!context.signal.aborted) {
      for (const runId of chunkWorker.declinedRuns()) {
        io.stderr.write(
          `run ${runId}: nothing else to do here; its chunks stay on the queue for a worker that can take them\n`,
        );
      }
    }
  } else {
    await stopped;
  }
  io.stderr.write(`worker ${chunkWorker.id}: stopping after the chunks it holds\n`);
  await chunkWorker.close();
  await close();
  io.stderr.write(`worker ${chunkWorker.id}: stopped\n`);
  return ExitCode.Success;
}

/**
 * Resolves once the queue has held nothing this worker could take for two checks in a row
 * (chunks of runs it declined do not count).
 */
async function waitUntilIdle(
  chunkWorker: { idle(): Promise<boolean> },
  signal: AbortSignal,
): Promise<void> {
  let idleChecks = 0;
  while (!signal.aborted && idleChecks < 2) {
    await new Promise((resolve) => setTimeout(resolve, IDLE_CHECK_MS));
    const idle = await chunkWorker.idle().catch(() => false);
    idleChecks = idle ? idleChecks + 1 : 0;
  }
}

/** The run's command is not in this worker's version of the CLI. */
class MissingCommandError extends Error {
  override readonly name = 'MissingCommandError';
}

/**
 * Builds a run's session by running its vendor command with the run's parameters and a host
 * that takes the command's adapter instead of letting it read an input: the worker writes with
 * exactly what a local run would use (client, adapter, limits, the account's Redis limiter).
 */
async function openRunSession(
  context: CommandContext,
  registry: CommandRegistry,
  run: RunDefinition,
  settings: { url: string; prefix: string },
): Promise<RunSession> {
  const path = [run.api, ...run.operation.split(' ')];
  const command = registry.table.find(
    (candidate) => candidate.bulk && candidate.path.join(' ') === path.join(' '),
  );
  const handler = command && registry.handlerFor(command);
  if (command === undefined || handler === undefined) {
    throw new MissingCommandError(`This worker has no command ${path.join(' ')}`);
  }
  const parsed = parsedCommandOf(command, {
    ...run.parameters,
    redis: settings.url,
    redisPrefix: settings.prefix,
    noProgress: true,
  });
  let hosted!: (run: HostedBulkRun) => void;
  const ready = new Promise<HostedBulkRun>((resolve) => {
    hosted = resolve;
  });
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const host: BulkRunHost = {
    async run(session) {
      hosted(session);
      await released;
      await session.close();
      return ExitCode.Success;
    },
  };
  const stop = new AbortController();
  const done = handler({
    parsed,
    io: { ...context.io, stdout: { write: () => true } },
    redactor: context.redactor,
    signal: stop.signal,
    host,
  });
  const session = await Promise.race([
    ready,
    done.then(() => {
      throw new Error(`${path.join(' ')} ended before it could write chunks`);
    }),
  ]);
  const limiter = session.limiter as (typeof session.limiter & { key?: string }) | undefined;
  return {
    adapter: session.adapter as unknown as BulkAdapter<ChunkEntry, unknown>,
    limiter: session.limiter,
    accountKey: limiter?.key ?? `${settings.prefix}:${run.api}`,
    batchSize: session.batchSize,
    concurrency: parsed.common.concurrency,
    requestTimeoutMs: session.requestTimeoutMs,
    async close() {
      release();
      await done.catch(() => {});
    },
  };
}
