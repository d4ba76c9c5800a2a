import type { BulkAdapter, ItemOutcome } from '@bulk-clients/core';
import { CliError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { formatCount } from '../output/format.js';
import type { PreparedBulkCommand } from './bulk-command.js';
import type { InputEntry } from './input-entry.js';
import type { CommandContext } from './registry.js';
import { loadRedisPackage, REDIS_URL_ENV, redisSettingsOf } from './shared-limit.js';

/** Options that belong to the enqueuing process, not to the run the workers carry out. */
const LOCAL_OPTIONS: ReadonlySet<string> = new Set([
  'token',
  'tokenFile',
  'input',
  'format',
  'journal',
  'resume',
  'failedOut',
  'report',
  'json',
  'noProgress',
  'dryRun',
  'enqueue',
  'redis',
  'chunkSize',
  'chunksPerAccount',
]);

/** What `runBulkCommand` hands over for `--enqueue`. */
export interface EnqueueInput<T, R> {
  entries: AsyncIterable<InputEntry<T>>;
  adapter: BulkAdapter<InputEntry<T>, R>;
  /** Reports a refused record as a local run does (stderr, `--failed-out`). */
  write(outcome: ItemOutcome<InputEntry<T>, R>): Promise<void>;
}

/**
 * `--enqueue`: checks every record here as a local run does, reports the invalid ones, and
 * queues the others in chunks for `bulk-clients worker` processes. The run carries the command's
 * parameters (never a token: workers read their own). Prints the run id (`--json`:
 * `{"runId","enqueued","invalid"}`).
 */
export async function enqueueRun<T, R>(
  context: CommandContext,
  prepared: PreparedBulkCommand,
  input: EnqueueInput<T, R>,
): Promise<number> {
  const { parsed, io, signal } = context;
  const { common, command } = parsed;
  const settings = redisSettingsOf(context);
  if (settings === undefined) {
    throw new CliError('usage', `--enqueue needs --redis URL (or ${REDIS_URL_ENV})`, {
      flag: '--enqueue',
    });
  }
  const redisPackage = await loadRedisPackage(context, settings);
  let redis: Awaited<ReturnType<typeof redisPackage.connectRedis>>;
  try {
    redis = await redisPackage.connectRedis(settings.url);
  } catch (error) {
    throw new CliError('config', `--redis: ${(error as Error).message}`, {
      flag: '--redis',
      cause: error,
    });
  }
  try {
    const parameters: Record<string, unknown> = { baseUrl: prepared.baseUrl };
    for (const [key, value] of Object.entries(parsed.values)) {
      if (!LOCAL_OPTIONS.has(key) && key !== 'baseUrl') parameters[key] = value;
    }
    const enqueuer = await redisPackage.createRunEnqueuer({
      redis,
      prefix: settings.prefix,
      api: command.path[0]!,
      operation: command.path.slice(1).join(' '),
      parameters,
      chunkSize: common.chunkSize,
      chunksPerAccount: common.chunksPerAccount,
    });
    let index = 0;
    let lastLine: number | undefined;
    let interrupted = false;
    const stoppedAfter = () =>
      lastLine === undefined ? 'before its first record' : `after line ${lastLine}`;
    let result: Awaited<ReturnType<typeof enqueuer.finish>>;
    try {
      try {
        for await (const entry of input.entries) {
          if (signal.aborted) {
            interrupted = true;
            break;
          }
          const error = input.adapter.validate?.(entry, index);
          if (error === undefined) {
            await enqueuer.add({ line: entry.line, record: entry.record, item: entry.item });
          } else {
            await input.write({ index, item: entry, status: 'failed', error, attempts: 0 });
            await enqueuer.addInvalid({
              line: entry.line,
              state: 'invalid',
              reason: error.message,
              field: error.field,
              record: entry.record,
            });
          }
          lastLine = entry.line;
          index++;
        }
      } catch (error) {
        // Reading the input or Redis failed: the run keeps what was enqueued and says why it
        // holds no more (if Redis does not answer, readers close it when its lease lapses).
        await enqueuer
          .finish({
            interrupted: `Enqueueing stopped ${stoppedAfter()}: ${(error as Error).message}`,
          })
          .catch(() => {});
        throw error;
      }
      result = await enqueuer.finish(
        interrupted
          ? {
              interrupted: `Enqueueing was interrupted ${stoppedAfter()}: the records after it are not part of the run`,
            }
          : {},
      );
    } finally {
      await enqueuer.close();
    }
    await prepared.abandon();
    const label = command.path.join(' ');
    io.stderr.write(
      `${label}: enqueued ${formatCount(result.enqueued)} records in ${formatCount(result.chunks)} chunks` +
        `${result.invalid ? `, ${formatCount(result.invalid)} invalid not enqueued` : ''}` +
        `${interrupted ? ' (interrupted: the records not read are not part of the run)' : ''}; ` +
        `follow it with: bulk-clients runs status ${result.runId} --wait\n`,
    );
    if (common.json) {
      const { runId, enqueued, invalid } = result;
      io.stdout.write(`${JSON.stringify({ runId, enqueued, invalid })}\n`);
    } else {
      io.stdout.write(`${result.runId}\n`);
    }
    if (interrupted) return ExitCode.Interrupted;
    return result.invalid > 0 ? ExitCode.SomeFailed : ExitCode.Success;
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
