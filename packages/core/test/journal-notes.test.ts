import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SendContext } from '../src/bulk-adapter.js';
import {
  type BulkJournal,
  createMemoryJournal,
  type JournalRecord,
  replayJournal,
} from '../src/journal.js';
import { openFileJournal } from '../src/journal-file.js';
import type { JsonValue } from '../src/json-value.js';
import { runBulk } from '../src/run-bulk.js';
import { accounted, createScriptedAdapter, createTestClock, fetchFailed } from './helpers.js';

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));
const OPERATION = 'test.items.bulkWrite';

describe('replayJournal with notes', () => {
  it('hands a batch in flight the notes recorded for it, in order', () => {
    const state = replayJournal([
      { type: 'start', runId: 'run-1', operation: OPERATION },
      { type: 'sent', key: 'run-1:0', ranges: [[0, 2]] },
      { type: 'note', key: 'run-1:0', data: { files: { '0': 'f-0' } } },
      { type: 'note', key: 'run-1:0', data: ['second'] },
    ]);
    expect(state.inFlight).toEqual([
      { key: 'run-1:0', indexes: [0, 1, 2], notes: [{ files: { '0': 'f-0' } }, ['second']] },
    ]);
  });

  it.each<[string, JournalRecord[]]>([
    [
      'every item of the batch settled',
      [
        { type: 'sent', key: 'a', ranges: [[0, 1]] },
        { type: 'note', key: 'a', data: 'a' },
        { type: 'acked', key: 'a', succeeded: [[0, 0]], failed: [], released: [[1, 1]] },
      ],
    ],
    [
      'its items moved to a later batch',
      [
        { type: 'sent', key: 'a', ranges: [[0, 1]] },
        { type: 'note', key: 'a', data: 'a' },
        { type: 'sent', key: 'b', ranges: [[0, 1]] },
      ],
    ],
    ['the batch was never sent', [{ type: 'note', key: 'a', data: 'a' }]],
    [
      'the note came after the batch settled',
      [
        { type: 'sent', key: 'a', ranges: [[0, 0]] },
        { type: 'acked', key: 'a', succeeded: [[0, 0]], failed: [], released: [] },
        { type: 'note', key: 'a', data: 'a' },
      ],
    ],
  ])('forgets the notes of a batch when %s', (_name, records) => {
    const state = replayJournal(records);
    expect(state.inFlight.filter((batch) => batch.key === 'a')).toEqual([]);
    expect(state.inFlight.every((batch) => batch.notes === undefined)).toBe(true);
  });

  it('leaves out `notes` for a batch in flight without any', () => {
    const state = replayJournal([{ type: 'sent', key: 'a', ranges: [[0, 0]] }]);
    expect(state.inFlight).toEqual([{ key: 'a', indexes: [0] }]);
  });
});

/** A journal whose appends wait until `release` is called, to watch what waits for them. */
function gatedJournal(): BulkJournal & {
  records: JournalRecord[];
  release(): void;
  waiting(): number;
} {
  const records: JournalRecord[] = [];
  let gates: (() => void)[] = [];
  return {
    records,
    load: async () => [],
    append: (more) =>
      new Promise<void>((resolve) => {
        gates.push(() => {
          records.push(...more);
          resolve();
        });
      }),
    release() {
      const open = gates;
      gates = [];
      for (const gate of open) gate();
    },
    waiting: () => gates.length,
  };
}

const settled = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SendContext.note', () => {
  it('resolves only once the note is in the journal, before the adapter goes on', async () => {
    const journal = gatedJournal();
    const steps: string[] = [];
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      script: async ({ batch, ctx }) => {
        await ctx.note({ first: batch[0]!.index });
        steps.push(`request after ${journal.records.map((record) => record.type).join(',')}`);
        return batch.map((entry) => ({ kind: 'succeeded', value: { id: entry.index } }));
      },
    });
    const running = runBulk(items(2), adapter, { journal, runId: 'run-2' });
    // start, sent, note, acked: each append waits for its gate, and the next waits for it.
    for (let turn = 0; turn < 4; turn++) {
      while (journal.waiting() === 0) await settled();
      if (turn === 2) expect(steps).toEqual([]);
      journal.release();
    }
    const report = await running;
    expect(report).toMatchObject({ succeeded: 2 });
    expect(steps).toEqual(['request after start,sent,note']);
    expect(journal.records[2]).toEqual({ type: 'note', key: 'run-2:0', data: { first: 0 } });
  });

  it('resolves at once and records nothing when the run has no journal', async () => {
    const notes: Promise<void>[] = [];
    const adapter = createScriptedAdapter<{ n: number }>({
      script: ({ batch, ctx }) => {
        notes.push(ctx.note({ any: 'thing' }));
        return batch.map((entry) => ({ kind: 'succeeded', value: { id: entry.index } }));
      },
    });
    const report = await runBulk(items(3), adapter);
    expect(report).toMatchObject({ succeeded: 3 });
    await expect(Promise.all(notes)).resolves.toEqual([undefined]);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['a function', () => 1],
    ['NaN inside an object', { at: Number.NaN }],
    ['a Date', new Date(0)],
    ['undefined inside an array', [1, undefined]],
  ])('rejects %s with a TypeError naming the batch', async (_name, data) => {
    const journal = createMemoryJournal();
    let rejection: unknown;
    const adapter = createScriptedAdapter<{ n: number }>({
      script: async ({ batch, ctx }) => {
        rejection = await ctx.note(data as JsonValue).catch((error: unknown) => error);
        return batch.map((entry) => ({ kind: 'succeeded', value: { id: entry.index } }));
      },
    });
    await runBulk(items(1), adapter, { journal, runId: 'run-3' });
    expect(rejection).toBeInstanceOf(TypeError);
    expect((rejection as Error).message).toMatch(/note of batch run-3:0/);
    expect(journal.records.filter((record) => record.type === 'note')).toEqual([]);
  });
});

describe('notes on resume', () => {
  it('hands reconcile the notes the crashed run recorded, and [] to a batch without any', async () => {
    const journal = createMemoryJournal([
      { type: 'start', runId: 'run-4', operation: OPERATION },
      { type: 'sent', key: 'run-4:0', ranges: [[0, 1]] },
      { type: 'note', key: 'run-4:0', data: { files: ['f-0', 'f-1'] } },
      { type: 'sent', key: 'run-4:2', ranges: [[2, 3]] },
    ]);
    const seen = new Map<string, SendContext['recorded']>();
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      maxBatchSize: 2,
      reconcile: ({ batch, ctx }) => {
        seen.set(ctx.batchKey, ctx.recorded);
        return batch.map((entry) => ({ kind: 'succeeded', value: { id: entry.index } }));
      },
    });
    const report = await runBulk(items(4), adapter, { journal, concurrency: 1 });
    expect(accounted(report)).toBe(true);
    expect(report).toMatchObject({ succeeded: 4, requests: 2 });
    expect(Object.fromEntries(seen)).toEqual({
      'run-4:0': [{ files: ['f-0', 'f-1'] }],
      'run-4:2': [],
    });
  });

  it('hands no recorded notes to a reconcile after a lost answer in the same run', async () => {
    const clock = createTestClock();
    const journal = createMemoryJournal();
    const recorded: SendContext['recorded'][] = [];
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      clock,
      script: async ({ ctx }) => {
        await ctx.note('before the request');
        throw fetchFailed('ECONNRESET');
      },
      reconcile: ({ batch, ctx }) => {
        recorded.push(ctx.recorded);
        return batch.map((entry) => ({ kind: 'succeeded', value: { id: entry.index } }));
      },
    });
    const report = await runBulk(items(2), adapter, { journal, clock, runId: 'run-5' });
    expect(report).toMatchObject({ succeeded: 2 });
    expect(recorded).toEqual([undefined]);
    expect(journal.records.filter((record) => record.type === 'note')).toEqual([
      { type: 'note', key: 'run-5:0', data: 'before the request' },
    ]);
  });

  it('keeps the notes of a batch that a resumed run could not settle for the next resume', async () => {
    const journal = createMemoryJournal([
      { type: 'start', runId: 'run-6', operation: OPERATION },
      { type: 'sent', key: 'run-6:0', ranges: [[0, 1]] },
      { type: 'note', key: 'run-6:0', data: 'evidence' },
    ]);
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      reconcile: ({ batch }) => batch.map(() => ({ kind: 'unknown' })),
    });
    const report = await runBulk(items(2), adapter, { journal });
    expect(report).toMatchObject({ unknown: 2 });
    expect(replayJournal(await journal.load()).inFlight).toEqual([
      { key: 'run-6:0', indexes: [0, 1], notes: ['evidence'] },
    ]);
  });
});

describe('openFileJournal and notes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulk-journal-notes-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('narrows an existing journal that others can read to 0600', async () => {
    const path = join(dir, 'run.jsonl');
    await writeFile(path, `${JSON.stringify({ type: 'start', runId: 'r', operation: 'op' })}\n`);
    await chmod(path, 0o644);
    expect((await stat(path)).mode & 0o777).toBe(0o644);
    const journal = await openFileJournal(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect([...(await journal.load())]).toHaveLength(1);
    await journal.close();
  });

  it('writes a note as one line that a reopened journal replays', async () => {
    const path = join(dir, 'run.jsonl');
    const journal = await openFileJournal(path);
    const adapter = createScriptedAdapter<{ n: number }>({
      idempotent: false,
      script: async ({ ctx }) => {
        await ctx.note({ files: { '0': 'f-0' } });
        // The process dies here, before the vendor answers.
        return new Promise(() => undefined);
      },
    });
    const controller = new AbortController();
    const running = runBulk(items(1), adapter, {
      journal,
      runId: 'run-8',
      signal: controller.signal,
      abortMode: 'abort',
    });
    while (!(await readFile(path, 'utf8')).includes('"note"')) await settled(1);
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(JSON.parse(lines[2]!)).toEqual({
      type: 'note',
      key: 'run-8:0',
      data: { files: { '0': 'f-0' } },
    });
    // What a resume would see if the process had died at this point.
    expect(replayJournal(lines.map((line) => JSON.parse(line))).inFlight).toEqual([
      { key: 'run-8:0', indexes: [0], notes: [{ files: { '0': 'f-0' } }] },
    ]);
    controller.abort();
    await running;
    await journal.close();
  });
});
