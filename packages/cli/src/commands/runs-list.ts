import { ExitCode } from '../exit-codes.js';
import { formatCount } from '../output/format.js';
import { connectQueueRedis } from './queue-redis.js';
import type { CommandContext } from './registry.js';

/** `bulk-clients runs list`: the queued runs, newest first, with their progress. */
export async function runsList(context: CommandContext): Promise<number> {
  const { io } = context;
  const queue = await connectQueueRedis(context);
  try {
    const store = new queue.redisPackage.RunStore(queue.redis, queue.settings.prefix);
    const rows = [];
    for (const runId of await store.list()) {
      const status = await store.status(runId);
      if (status === undefined) continue;
      rows.push({
        runId,
        api: status.run.api,
        operation: status.run.operation,
        createdAt: new Date(status.run.createdAt).toISOString(),
        total: status.total,
        succeeded: status.succeeded,
        failed: status.failed,
        unknown: status.unknown,
        chunksPending: status.chunksPending,
        settled: status.settled,
        ...(status.run.interrupted === undefined ? {} : { interrupted: status.run.interrupted }),
      });
    }
    if (context.parsed.values.json === true) {
      io.stdout.write(`${JSON.stringify(rows)}\n`);
      return ExitCode.Success;
    }
    if (rows.length === 0) {
      io.stdout.write(`No runs in Redis at ${queue.label}\n`);
      return ExitCode.Success;
    }
    for (const row of rows) {
      const state =
        (row.settled ? 'settled' : `${formatCount(row.chunksPending)} chunks pending`) +
        (row.interrupted ? ' (partial: its enqueuing stopped mid-way)' : '');
      io.stdout.write(
        `${row.runId}  ${row.createdAt}  ${row.api} ${row.operation}  ${formatCount(row.total)} records: ` +
          `${formatCount(row.succeeded)} succeeded, ${formatCount(row.failed)} failed, ${formatCount(row.unknown)} unknown  ${state}\n`,
      );
    }
    return ExitCode.Success;
  } finally {
    await queue.close();
  }
}
