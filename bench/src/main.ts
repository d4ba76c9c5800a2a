/**
 * `npm run bench`: every scenario of the benchmark, against sandboxes in their own processes,
 * each printed as a markdown table and saved to `results/latest.json`.
 *
 *   npm run bench                       all scenarios, full size, 3 runs each
 *   npm run bench -- --quick            a smoke run of every scenario at tiny sizes, saved to
 *                                       results/latest.quick.tmp (git-ignored)
 *   npm run bench -- --only memory,size only these scenarios (merged into the results file)
 *
 * Exits 1 when a scenario crashes; a missed target is reported, not an error.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type MachineInfo, machineInfo } from './machine.js';
import type { BenchContext, ScenarioResult } from './result-types.js';
import { buildScenario } from './scenarios/build.js';
import { memoryScenario } from './scenarios/memory.js';
import { overheadScenario } from './scenarios/overhead.js';
import { pollingScenario } from './scenarios/polling.js';
import { rateLimitsScenario } from './scenarios/rate-limits.js';
import { redisScenario } from './scenarios/redis.js';
import { sizeScenario } from './scenarios/size.js';
import { throughputScenario } from './scenarios/throughput.js';
import { renderScenario } from './table.js';

const SCENARIOS: Record<string, (context: BenchContext) => Promise<ScenarioResult>> = {
  throughput: throughputScenario,
  overhead: overheadScenario,
  memory: memoryScenario,
  polling: pollingScenario,
  build: buildScenario,
  size: sizeScenario,
  'rate-limits': rateLimitsScenario,
  redis: redisScenario,
};

interface SavedScenario {
  id: string;
  title: string;
  date: string;
  quick: boolean;
  machine: MachineInfo;
  setup: ScenarioResult['setup'];
  rows: ScenarioResult['rows'];
  notes: string[];
  table: string;
}

interface ResultsFile {
  date: string;
  machine: MachineInfo;
  scenarios: SavedScenario[];
}

const benchRoot = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      runs: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const quick = values.quick ?? false;
  const selected = values.only
    ? values.only.split(',').map((name) => name.trim())
    : Object.keys(SCENARIOS);
  for (const name of selected) {
    if (!(name in SCENARIOS)) {
      throw new TypeError(
        `--only: unknown scenario "${name}" (known: ${Object.keys(SCENARIOS).join(', ')})`,
      );
    }
  }
  const runs = values.runs ? Number(values.runs) : quick ? 1 : 3;
  if (!Number.isInteger(runs) || runs < 1 || runs > 20) {
    throw new TypeError(`--runs must be an integer from 1 to 20, got ${values.runs}`);
  }
  const out = path.resolve(
    values.out ?? path.join(benchRoot, 'results', quick ? 'latest.quick.tmp' : 'latest.json'),
  );
  const machine = machineInfo();
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'bulk-clients-bench-'));
  const context: BenchContext = {
    quick,
    runs,
    tmpDir,
    repoRoot: path.resolve(benchRoot, '..'),
    log: (line) => process.stderr.write(`${line}\n`),
  };
  process.stdout.write(
    `bulk-clients benchmarks${quick ? ' (quick)' : ''}: ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage.join(' ')}\n\n`,
  );
  const saved: SavedScenario[] = [];
  let crashed = 0;
  try {
    for (const name of selected) {
      const run = SCENARIOS[name] as (context: BenchContext) => Promise<ScenarioResult>;
      context.log(`${name}...`);
      const started = Date.now();
      try {
        const result = await run(context);
        const table = renderScenario(result);
        process.stdout.write(`${table}\n`);
        saved.push({
          id: result.id,
          title: result.title,
          date: new Date().toISOString(),
          quick,
          machine,
          setup: result.setup,
          rows: result.rows,
          notes: result.notes,
          table,
        });
        context.log(`${name} done in ${Math.round((Date.now() - started) / 1000)} s`);
      } catch (error) {
        crashed += 1;
        process.stderr.write(
          `scenario ${name} crashed: ${(error as Error).stack ?? String(error)}\n`,
        );
      }
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  await save(out, machine, saved);
  process.stdout.write(`Results: ${path.relative(process.cwd(), out)}\n`);
  return crashed === 0 ? 0 : 1;
}

/** Writes the scenarios run now over those of an earlier run kept in the same file. */
async function save(file: string, machine: MachineInfo, scenarios: SavedScenario[]): Promise<void> {
  let previous: SavedScenario[] = [];
  try {
    previous = (JSON.parse(await readFile(file, 'utf8')) as ResultsFile).scenarios ?? [];
  } catch {
    // No earlier results: start a new file.
  }
  const order = Object.keys(SCENARIOS);
  const merged = [
    ...previous.filter((old) => !scenarios.some((now) => now.id === old.id)),
    ...scenarios,
  ].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const content: ResultsFile = { date: new Date().toISOString(), machine, scenarios: merged };
  await writeFile(file, `${JSON.stringify(content, null, 2)}\n`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    process.exitCode = 2;
  },
);
