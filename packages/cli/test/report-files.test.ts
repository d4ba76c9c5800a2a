import { chmod, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openPrivateFile } from '../src/output/private-file.js';
import { openFailedRecordsFile, writeReportFile } from '../src/output/report-files.js';
import { createRedactor } from '../src/redact.js';

const TOKEN = 'pat-na1-report-token-91c2';
const { redact } = createRedactor([TOKEN]);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bulk-clients-report-'));
});

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('writeReportFile', () => {
  it('writes the report as JSON with mode 0600 and leaves no temporary file', async () => {
    const path = join(dir, 'report.json');
    await writeReportFile(path, { api: 'hubspot', total: 3 }, { redact });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ api: 'hubspot', total: 3 });
    expect(await modeOf(path)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('narrows an existing world-readable report to 0600', async () => {
    const path = join(dir, 'report.json');
    await writeFile(path, 'old');
    await chmod(path, 0o644);
    await writeReportFile(path, { total: 1 }, { redact });
    expect(await modeOf(path)).toBe(0o600);
  });

  it('redacts the token', async () => {
    const path = join(dir, 'report.json');
    await writeReportFile(path, { error: `401 for Bearer ${TOKEN}` }, { redact });
    expect(await readFile(path, 'utf8')).not.toContain(TOKEN);
  });

  it('requires a redactor', async () => {
    await expect(writeReportFile(join(dir, 'r.json'), {}, {} as never)).rejects.toThrow(TypeError);
  });
});

describe('openFailedRecordsFile', () => {
  it('streams one JSON line per entry with mode 0600 and a stable key order', async () => {
    const path = join(dir, 'failed.jsonl');
    const writer = await openFailedRecordsFile(path, { redact });
    expect(await modeOf(path)).toBe(0o600);
    await writer.write({
      line: 2,
      state: 'invalid',
      reason: 'is required',
      field: 'id',
      record: { subject: 'x' },
    });
    await writer.write({
      line: 5,
      state: 'failed',
      reason: 'Property does not exist',
      status: 207,
      record: { id: '9' },
    });
    await writer.write({
      line: 9,
      state: 'unknown',
      reason: 'connection reset',
      record: { id: '12' },
    });
    expect(writer.count).toBe(3);
    await writer.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines).toEqual([
      '{"line":2,"state":"invalid","reason":"is required","field":"id","record":{"subject":"x"}}',
      '{"line":5,"state":"failed","reason":"Property does not exist","status":207,"record":{"id":"9"}}',
      '{"line":9,"state":"unknown","reason":"connection reset","record":{"id":"12"}}',
    ]);
  });

  it('writes null-prototype records with __proto__ keys as data', async () => {
    const path = join(dir, 'failed.jsonl');
    const record = Object.create(null) as Record<string, string>;
    Object.defineProperty(record, '__proto__', { value: 'x', enumerable: true });
    const writer = await openFailedRecordsFile(path, { redact });
    await writer.write({ line: 1, state: 'invalid', reason: 'bad', record });
    await writer.close();
    expect(await readFile(path, 'utf8')).toContain('"record":{"__proto__":"x"}');
  });

  it('redacts the token in reasons and records', async () => {
    const path = join(dir, 'failed.jsonl');
    const writer = await openFailedRecordsFile(path, { redact });
    await writer.write({
      line: 1,
      state: 'failed',
      reason: `echo ${TOKEN}`,
      record: { note: TOKEN },
    });
    await writer.close();
    expect(await readFile(path, 'utf8')).not.toContain(TOKEN);
  });

  it('appends on request and truncates otherwise', async () => {
    const path = join(dir, 'failed.jsonl');
    for (const append of [false, true]) {
      const writer = await openFailedRecordsFile(path, { redact, append });
      await writer.write({ line: 1, state: 'failed', reason: 'x', record: {} });
      await writer.close();
    }
    expect((await readFile(path, 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
    const writer = await openFailedRecordsFile(path, { redact });
    await writer.close();
    expect(await readFile(path, 'utf8')).toBe('');
  });

  it('waits for the disk under backpressure and keeps every entry', async () => {
    const path = join(dir, 'failed.jsonl');
    const writer = await openFailedRecordsFile(path, { redact });
    const big = 'x'.repeat(4_096);
    for (let line = 1; line <= 2_000; line++) {
      await writer.write({ line, state: 'failed', reason: 'r', record: { big } });
    }
    await writer.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2_000);
    expect(JSON.parse(lines[1_999]!).line).toBe(2_000);
  });

  it('fails to open in a missing directory', async () => {
    await expect(openFailedRecordsFile(join(dir, 'no', 'f.jsonl'), { redact })).rejects.toThrow(
      /ENOENT/,
    );
  });
});

describe('openPrivateFile', () => {
  it.each(['w', 'a'] as const)('creates and narrows files to 0600 with flag %s', async (flags) => {
    const path = join(dir, `f-${flags}`);
    await writeFile(path, '');
    await chmod(path, 0o666);
    const handle = await openPrivateFile(path, flags);
    await handle.close();
    expect(await modeOf(path)).toBe(0o600);
  });

  it('refuses an existing file with wx', async () => {
    const path = join(dir, 'exists');
    await writeFile(path, '');
    await expect(openPrivateFile(path, 'wx')).rejects.toThrow(/EEXIST/);
  });
});
