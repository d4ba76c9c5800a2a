/**
 * Scenario 3, memory: a JSONL file of ticket updates through the CLI
 * (`bulk-clients hubspot tickets-update`), no latency, no limit. Peak RSS of the CLI process for
 * 100,000 and for 1,000,000 lines: the engine reads lazily, so it should not grow with N.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext, Row, ScenarioResult } from '../result-types.js';
import { SANDBOX_TOKEN, startSandboxProcess } from '../sandbox-process.js';
import { summarize } from '../stats.js';
import { cell, targetCell } from '../table.js';
import { ticketUpdate } from '../tickets.js';

const SEEDED = 100_000;
const TARGET_BYTES = 150 * 2 ** 20;
const preload = fileURLToPath(new URL('../report-max-rss.mjs', import.meta.url));

/** Writes `lines` updates as JSONL, with backpressure. */
async function writeJsonl(file: string, lines: number): Promise<void> {
  const stream = createWriteStream(file);
  for (let n = 0; n < lines; n += 1) {
    if (!stream.write(`${JSON.stringify(ticketUpdate(n, SEEDED))}\n`)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
}

interface CliRun {
  wallMs: number;
  maxRssBytes: number;
  exitCode: number | null;
}

async function runCli(context: BenchContext, input: string, baseUrl: string, lines: number): Promise<CliRun> {
  const bin = path.join(context.repoRoot, 'packages/cli/dist/bin.js');
  const rssFile = path.join(context.tmpDir, `rss-${process.hrtime.bigint()}.txt`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      preload,
      bin,
      'hubspot',
      'tickets-update',
      '--input',
      input,
      '--base-url',
      baseUrl,
      // "No limit": far above what the sandbox can serve.
      '--rate-limit',
      '1000000/1000',
      '--concurrency',
      '4',
      '--no-progress',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, HUBSPOT_TOKEN: SANDBOX_TOKEN, BENCH_MAX_RSS_FILE: rssFile },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), Math.max(60_000, lines * 2));
  const [exitCode] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  const wallMs = performance.now() - started;
  if (exitCode !== 0) {
    throw new Error(`the CLI exited with ${exitCode} on ${lines} lines: ${stderr.trim()}`);
  }
  return { wallMs, maxRssBytes: Number(await readFile(rssFile, 'utf8')), exitCode };
}

export async function memoryScenario(context: BenchContext): Promise<ScenarioResult> {
  const sizes = context.quick ? [2000, 20_000] : [100_000, 1_000_000];
  const rows: Row[] = [];
  const sandbox = await startSandboxProcess({ tickets: SEEDED });
  try {
    for (const lines of sizes) {
      const input = path.join(context.tmpDir, `tickets-${lines}.jsonl`);
      await writeJsonl(input, lines);
      const runs: CliRun[] = [];
      for (let run = 1; run <= context.runs; run += 1) {
        const result = await runCli(context, input, sandbox.url, lines);
        runs.push(result);
        context.log(
          `  ${lines} lines run ${run}: peak RSS ${(result.maxRssBytes / 2 ** 20).toFixed(1)} MiB, ${(result.wallMs / 1000).toFixed(1)} s`,
        );
      }
      rows.push({
        variant: `${lines.toLocaleString('en-US')} lines`,
        metrics: {
          maxRssMiB: summarize(runs.map((r) => r.maxRssBytes / 2 ** 20)),
          wallSeconds: summarize(runs.map((r) => r.wallMs / 1000)),
          recordsPerSecond: summarize(runs.map((r) => (lines / r.wallMs) * 1000)),
        },
        facts: { lines },
      });
    }
  } finally {
    await sandbox.stop();
  }
  const [small, large] = rows as [Row, Row];
  const smallRss = small.metrics.maxRssMiB?.median ?? 0;
  const largeRss = large.metrics.maxRssMiB?.median ?? 0;
  const ratio = largeRss / smallRss;
  large.target = {
    description: 'peak RSS <= 150 MB and 1,000,000 / 100,000 ratio <= 1.2',
    met: largeRss * 2 ** 20 <= TARGET_BYTES && ratio <= 1.2,
    detail: `${largeRss.toFixed(1)} MiB, ratio ${ratio.toFixed(2)}`,
  };
  return {
    id: 'memory',
    title: '3. Memory: JSONL through the CLI',
    setup: {
      sizes: sizes.join(', '),
      command: 'bulk-clients hubspot tickets-update --input FILE --base-url URL --rate-limit 1000000/1000 --concurrency 4 --no-progress',
      seededTickets: SEEDED,
      runs: context.runs,
    },
    columns: [
      { header: 'input', cell: (row) => row.variant },
      { header: 'peak RSS MiB', cell: (row) => cell(row, 'maxRssMiB', 1) },
      { header: 'wall s', cell: (row) => cell(row, 'wallSeconds', 1) },
      { header: 'records/s', cell: (row) => cell(row, 'recordsPerSecond') },
      { header: 'target', cell: targetCell },
    ],
    rows,
    notes: [
      `Peak RSS is the CLI process's own \`process.resourceUsage().maxRSS\`, read at exit through a preloaded module (\`--import report-max-rss.mjs\`); the sandbox runs in another process. Ticket ids cycle through ${SEEDED.toLocaleString('en-US')} seeded tickets.`,
    ],
  };
}
