import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../src/bulk-adapter.js';
import { runBulk } from '../src/run-bulk.js';
import { createScriptedAdapter, type SendCall } from './helpers.js';

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));

/** Like the vault: any bad entry fails the whole batch with `Entry N` messages; none is applied. */
function vaultLike(bad: Set<number>) {
  return (call: SendCall<{ n: number }>): ItemResult<{ id: number }>[] => {
    const hasBad = call.batch.some((entry) => bad.has(entry.index));
    return call.batch.map((entry, position) => {
      if (!hasBad) return { kind: 'succeeded', value: { id: entry.index } };
      return bad.has(entry.index)
        ? {
            kind: 'failed',
            error: { code: 'validation_failed', message: `Entry ${position}: title is required` },
          }
        : { kind: 'resend' };
    });
  };
}

describe('resend', () => {
  it('fails the bad items and re-sends the rest in a new batch', async () => {
    const adapter = createScriptedAdapter({ maxBatchSize: 5, script: vaultLike(new Set([1, 3])) });
    const report = await runBulk(items(5), adapter, { concurrency: 1, collect: true });
    expect(adapter.log).toEqual(['SEND [0..4]', 'DONE [0..4]', 'SEND [0,2,4]', 'DONE [0,2,4]']);
    expect(report).toMatchObject({ succeeded: 3, failed: 2, requests: 2 });
    expect(report.outcomes?.[3]?.error?.message).toBe('Entry 3: title is required');
    expect(report.outcomes?.[4]?.attempts).toBe(2);
  });

  it('sends re-sent items before new input', async () => {
    const adapter = createScriptedAdapter({ maxBatchSize: 3, script: vaultLike(new Set([0])) });
    await runBulk(items(6), adapter, { concurrency: 1 });
    expect(adapter.log.filter((line) => line.startsWith('SEND'))).toEqual([
      'SEND [0..2]',
      'SEND [1..2]',
      'SEND [3..5]',
    ]);
  });

  it('gives up on an item after maxResends', async () => {
    const adapter = createScriptedAdapter<{ n: number }>({
      script: (call) => call.batch.map(() => ({ kind: 'resend' })),
    });
    const report = await runBulk(items(2), adapter, { maxResends: 2, collect: true });
    expect(report).toMatchObject({ failed: 2, requests: 3 });
    expect(report.outcomes?.[0]?.error?.code).toBe('resend_limit');
  });

  it('gives re-sent batches their own key', async () => {
    const keys: string[] = [];
    const script = vaultLike(new Set([0]));
    const adapter = createScriptedAdapter<{ n: number }>({
      script: (call) => {
        keys.push(call.ctx.batchKey);
        return script(call);
      },
    });
    const report = await runBulk(items(3), adapter, { runId: 'run-1' });
    expect(keys).toEqual(['run-1:0', 'run-1:1:r1']);
    expect(report.runId).toBe('run-1');
  });
});
