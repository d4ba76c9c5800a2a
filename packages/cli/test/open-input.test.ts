import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { formatFromPath, openInput } from '../src/input/open-input.js';
import { chunked, collect } from './helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulk-clients-input-'));
  await writeFile(join(dir, 'tickets.csv'), 'id,subject\n1,Printer\n');
  await writeFile(join(dir, 'tickets.JSONL'), '{"id":"1"}\n');
  await writeFile(join(dir, 'tickets.txt'), 'id\n1\n');
  await mkdir(join(dir, 'folder.csv'));
});

async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe('formatFromPath', () => {
  it.each([
    ['a.csv', 'csv'],
    ['a.CSV', 'csv'],
    ['dir.v2/a.jsonl', 'jsonl'],
    ['a.ndjson', 'jsonl'],
  ])('%s is %s', (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });

  it.each(['a.txt', 'a', '-'])('asks for --format for %s', (path) => {
    expect(() => formatFromPath(path)).toThrow(
      expect.objectContaining({ flag: '--format', kind: 'usage' }),
    );
  });
});

describe('openInput', () => {
  // Open descriptors of this process (Linux), to see a file released.
  const openFds = () => readdirSync('/proc/self/fd').length;

  it('releases a file whose records were never read, once however often closed', async () => {
    const before = openFds();
    const opened = await openInput({ input: join(dir, 'tickets.csv') });
    expect(openFds()).toBe(before + 1);
    await opened.close();
    expect(openFds()).toBe(before);
    await opened.close();
    expect(openFds()).toBe(before);
  });

  it('has nothing left to release after the records were read', async () => {
    const before = openFds();
    const opened = await openInput({ input: join(dir, 'tickets.csv') });
    await collect(opened.records);
    await opened.close();
    expect(openFds()).toBe(before);
  });

  it('reads a CSV file by its extension', async () => {
    const opened = await openInput({ input: join(dir, 'tickets.csv') });
    expect(opened.format).toBe('csv');
    expect(await collect(opened.records)).toEqual([
      { line: 2, record: expect.objectContaining({ id: '1', subject: 'Printer' }) },
    ]);
  });

  it('reads JSONL by an upper-case extension', async () => {
    const opened = await openInput({ input: join(dir, 'tickets.JSONL') });
    expect(opened.format).toBe('jsonl');
    expect(await collect(opened.records)).toHaveLength(1);
  });

  it('lets --format override the extension', async () => {
    const opened = await openInput({ input: join(dir, 'tickets.txt'), format: 'csv' });
    expect(await collect(opened.records)).toEqual([
      { line: 2, record: expect.objectContaining({ id: '1' }) },
    ]);
  });

  it('reads stdin for - with --format', async () => {
    const opened = await openInput({ input: '-', format: 'jsonl', stdin: chunked('{"a":1}\n') });
    expect(opened.name).toBe('stdin');
    expect(await collect(opened.records)).toEqual([
      { line: 1, record: expect.objectContaining({ a: 1 }) },
    ]);
  });

  it('passes the size limits to the reader', async () => {
    const opened = await openInput({
      input: '-',
      format: 'jsonl',
      stdin: chunked('{"a":"long"}\n'),
      maxRecordBytes: 4,
    });
    expect(await collect(opened.records)).toEqual([
      { line: 1, error: { message: 'line is longer than 4 bytes' } },
    ]);
  });

  it.each([
    [
      'a missing file',
      () => join(dir, 'missing.csv'),
      /Cannot read --input .*missing\.csv: no such file/,
    ],
    ['a directory', () => join(dir, 'folder.csv'), /is a directory/],
  ])('fails early with an input error for %s', async (_, path, message) => {
    const error = await failure(openInput({ input: path() }));
    expect(error.kind).toBe('input');
    expect(error.flag).toBe('--input');
    expect(error.message).toMatch(message);
  });

  it('needs --format for stdin and an --input value', async () => {
    expect((await failure(openInput({ input: '-' }))).flag).toBe('--format');
    expect((await failure(openInput({ input: '' }))).flag).toBe('--input');
  });
});
