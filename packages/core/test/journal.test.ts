import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createMemoryJournal,
  deriveItemId,
  type JournalRecord,
  mergeRanges,
  RangeCursor,
  replayJournal,
  toRanges,
} from '../src/journal.js';
import { openFileJournal } from '../src/journal-file.js';
import { runBulk } from '../src/run-bulk.js';
import { sha1 } from '../src/sha1.js';
import { accounted, createScriptedAdapter, createTestClock, fetchFailed } from './helpers.js';

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));
const OPERATION = 'test.items.bulkWrite';

/** What a crash leaves: batch [0..9] settled, [10..19] sent with no answer. */
const crashedRun = (): JournalRecord[] => [
  { type: 'start', runId: 'run-7', operation: OPERATION },
  { type: 'sent', key: 'run-7:0', ranges: [[0, 9]] },
  { type: 'sent', key: 'run-7:10', ranges: [[10, 19]] },
  {
    type: 'acked',
    key: 'run-7:0',
    succeeded: [
      [0, 3],
      [5, 9],
    ],
    failed: [{ index: 4, code: 'invalid', message: 'item 4: bad email' }],
    released: [],
  },
];

describe('replayJournal', () => {
  it('keeps settled ranges and the batches that were in flight', () => {
    const state = replayJournal(crashedRun());
    expect(state).toMatchObject({ runId: 'run-7', operation: OPERATION });
    expect(state.succeeded).toEqual([
      [0, 3],
      [5, 9],
    ]);
    expect(state.failed.get(4)).toEqual({ code: 'invalid', message: 'item 4: bad email' });
    expect(state.inFlight).toEqual([
      { key: 'run-7:10', indexes: Array.from({ length: 10 }, (_, i) => 10 + i) },
    ]);
  });

  it('moves a re-sent item to its latest batch and forgets released ones', () => {
    const state = replayJournal([
      { type: 'sent', key: 'a', ranges: [[0, 2]] },
      { type: 'acked', key: 'a', succeeded: [[0, 0]], failed: [], released: [[1, 2]] },
      { type: 'sent', key: 'b', ranges: [[1, 2]] },
      { type: 'sent', key: 'c', ranges: [[3, 3]] },
      { type: 'acked', key: 'c', succeeded: [], failed: [], released: [[3, 3]] },
    ]);
    expect(state.inFlight).toEqual([{ key: 'b', indexes: [1, 2] }]);
  });
});

describe('ranges', () => {
  it('compresses indexes into ranges', () => {
    expect(toRanges([5, 1, 2, 3, 9, 8])).toEqual([
      [1, 3],
      [5, 5],
      [8, 9],
    ]);
  });
  it('merges touching ranges', () => {
    expect(
      mergeRanges([
        [5, 9],
        [0, 4],
        [20, 30],
        [25, 26],
      ]),
    ).toEqual([
      [0, 9],
      [20, 30],
    ]);
  });
  it('answers membership for increasing indexes', () => {
    const cursor = new RangeCursor([
      [2, 3],
      [7, 7],
    ]);
    expect([0, 1, 2, 3, 4, 7, 8].map((index) => cursor.has(index))).toEqual([
      false,
      false,
      true,
      true,
      false,
      true,
      false,
    ]);
  });
});

describe('resuming a run', () => {
  it('re-sends only unsettled items of an idempotent operation and reports the rest as recorded', async () => {
    const journal = createMemoryJournal(crashedRun());
    const adapter = createScriptedAdapter({ maxBatchSize: 10 });
    const report = await runBulk(items(25), adapter, { journal, concurrency: 1, collect: true });
    expect(adapter.log.filter((line) => line.startsWith('SEND'))).toEqual([
      'SEND [10..19]',
      'SEND [20..24]',
    ]);
    expect(report).toMatchObject({
      runId: 'run-7',
      total: 25,
      succeeded: 24,
      failed: 1,
      resumed: 10,
    });
    expect(report.outcomes?.[4]).toMatchObject({ status: 'failed', resumed: true, attempts: 0 });
    expect(report.outcomes?.[0]).toMatchObject({ status: 'succeeded', resumed: true });
    expect(accounted(report)).toBe(true);
  });

  it('reconciles the in-flight batch of a non-idempotent operation before sending anything', async () => {
    const journal = createMemoryJournal(crashedRun());
    const keys: string[] = [];
    const adapter = createScriptedAdapter<{ n: number }>({
      maxBatchSize: 10,
      idempotent: false,
      reconcile: (call) => {
        keys.push(call.ctx.batchKey);
        return call.batch.map((entry) =>
          entry.index < 15 ? { kind: 'succeeded', value: { id: entry.index } } : { kind: 'absent' },
        );
      },
    });
    const report = await runBulk(items(25), adapter, { journal, concurrency: 1 });
    expect(adapter.log.filter((line) => !line.startsWith('DONE'))).toEqual([
      'RECONCILE [10..19]',
      'SEND [15..19]',
      'SEND [20..24]',
    ]);
    expect(keys).toEqual(['run-7:10']);
    expect(report).toMatchObject({ succeeded: 24, failed: 1, unknown: 0 });
  });

  it('reports in-flight items unknown when the operation can neither re-send nor read back', async () => {
    const journal = createMemoryJournal(crashedRun());
    const adapter = createScriptedAdapter({ maxBatchSize: 10, idempotent: false });
    const report = await runBulk(items(25), adapter, { journal, concurrency: 1 });
    expect(adapter.sentCount.has(10)).toBe(false);
    expect(report).toMatchObject({ succeeded: 14, failed: 1, unknown: 10 });
  });

  it('resumes an aborted run without re-sending what was acknowledged', async () => {
    const clock = createTestClock();
    const journal = createMemoryJournal();
    const controller = new AbortController();
    const first = createScriptedAdapter<{ n: number }>({
      maxBatchSize: 5,
      script: (call) => {
        if (call.call === 2) controller.abort();
        return call.batch.map((entry) => ({ kind: 'succeeded', value: { id: entry.index } }));
      },
    });
    const partial = await runBulk(items(20), first, {
      journal,
      clock,
      concurrency: 1,
      signal: controller.signal,
    });
    expect(partial).toMatchObject({ succeeded: 10, aborted: true });

    const second = createScriptedAdapter({ maxBatchSize: 5 });
    const resumed = await runBulk(items(20), second, { journal, clock, concurrency: 1 });
    expect(second.log.filter((line) => line.startsWith('SEND'))).toEqual([
      'SEND [10..14]',
      'SEND [15..19]',
    ]);
    expect(resumed).toMatchObject({ runId: partial.runId, succeeded: 20, resumed: 10 });
  });

  it('sends items skipped by an aborted run again', async () => {
    const clock = createTestClock();
    const journal = createMemoryJournal();
    const controller = new AbortController();
    const first = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      clock,
      script: () => {
        queueMicrotask(() => controller.abort());
        throw fetchFailed('ECONNREFUSED');
      },
    });
    const partial = await runBulk(items(3), first, { journal, clock, signal: controller.signal });
    expect(partial).toMatchObject({ skipped: 3 });
    const second = createScriptedAdapter({ idempotent: false });
    const resumed = await runBulk(items(3), second, { journal, clock });
    expect(resumed).toMatchObject({ succeeded: 3, resumed: 0 });
  });

  it('refuses a journal of another operation', async () => {
    const journal = createMemoryJournal(crashedRun());
    const adapter = createScriptedAdapter({ operation: 'other.op' });
    await expect(runBulk(items(1), adapter, { journal })).rejects.toThrow(/belong to other.op/);
  });
});

describe('openFileJournal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulk-journal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends JSON lines to a file only its owner can read', async () => {
    const path = join(dir, 'run.jsonl');
    const journal = await openFileJournal(path);
    await runBulk(items(3), createScriptedAdapter(), { journal, runId: 'run-x' });
    await journal.close();
    const lines = (await readFile(path, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.type)).toEqual(['start', 'sent', 'acked']);
    expect(lines[2]).toEqual({
      type: 'acked',
      key: 'run-x:0',
      succeeded: [[0, 2]],
      failed: [],
      released: [],
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('resumes from the file after the process is gone, ignoring a torn last line', async () => {
    const path = join(dir, 'run.jsonl');
    const text = crashedRun()
      .map((record) => JSON.stringify(record))
      .join('\n');
    await writeFile(path, `${text}\n{"type":"sent","key":"run-7:2`, { mode: 0o600 });
    const journal = await openFileJournal(path);
    const adapter = createScriptedAdapter({ maxBatchSize: 10 });
    const report = await runBulk(items(20), adapter, { journal, concurrency: 1 });
    await journal.close();
    expect(adapter.log.filter((line) => line.startsWith('SEND'))).toEqual(['SEND [10..19]']);
    expect(report).toMatchObject({ succeeded: 19, failed: 1 });
    // The torn tail was closed off, so the file reads back cleanly.
    const reopened = await openFileJournal(path);
    expect(replayJournal(await reopened.load()).inFlight).toEqual([]);
    await reopened.close();
  });

  it('rejects a corrupt line in the middle', async () => {
    const path = join(dir, 'run.jsonl');
    await writeFile(path, '{"type":"start"}\nnot json\n{"type":"sent"}\n');
    await expect(openFileJournal(path)).rejects.toThrow(/corrupt at line 2/);
  });

  it('rejects a missing path', async () => {
    await expect(openFileJournal('')).rejects.toThrow(TypeError);
  });
});

describe('deriveItemId', () => {
  /** A version 5 UUID computed with node:crypto, to check the portable implementation. */
  const reference = (runId: string, index: number) => {
    const namespace = Buffer.from('8a4f2d1e5b7c4e3a9f602c1d8b7e4a95', 'hex');
    const hash = createHash('sha1').update(namespace).update(`${runId}:${index}`).digest();
    hash[6] = (hash[6]! & 0x0f) | 0x50;
    hash[8] = (hash[8]! & 0x3f) | 0x80;
    const hex = hash.subarray(0, 16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };

  it.each([
    ['run-1', 0],
    ['run-1', 1],
    ['0b4e7c1a-2f3d-4e5a-8b6c-7d8e9fa0b1c2', 123_456],
    ['Lauf-über-Ämter-東京', 42],
  ])('is the version 5 UUID of %s and %i', (runId, index) => {
    const id = deriveItemId(runId, index);
    expect(id).toBe(reference(runId, index));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs between items and between runs', () => {
    expect(deriveItemId('a', 1)).not.toBe(deriveItemId('a', 2));
    expect(deriveItemId('a', 1)).not.toBe(deriveItemId('b', 1));
  });

  it.each([
    ['', 0],
    ['run', -1],
    ['run', 1.5],
  ])('rejects (%j, %j)', (runId, index) => {
    expect(() => deriveItemId(runId, index)).toThrow(TypeError);
  });

  it.each([0, 1, 55, 56, 63, 64, 65, 1000])('sha1 matches node:crypto for %i bytes', (length) => {
    const bytes = new Uint8Array(length).map((_, i) => (i * 31 + 7) & 0xff);
    expect(Buffer.from(sha1(bytes)).toString('hex')).toBe(
      createHash('sha1').update(bytes).digest('hex'),
    );
  });
});
