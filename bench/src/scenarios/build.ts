/**
 * Scenario 5, build: a cold `npm run build` in a fresh clone (no turbo cache, no dist), the
 * no-change rebuild right after it (turbo cache), and `npm run generate -- --force` (all specs
 * through openapi-typescript, cache bypassed). Every run clones HEAD to a temporary folder;
 * the working tree is never touched.
 *
 * Dependencies are not installed in the clone (no network): `node_modules` is copied from the
 * working tree as hard links (`cp -al`), which keeps the workspace links relative to the clone.
 * The clone and the copy are timed apart from the build.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import type { BenchContext, Row, ScenarioResult } from '../result-types.js';
import { summarize } from '../stats.js';
import { cell, targetCell } from '../table.js';

const ENV = {
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  TURBO_TELEMETRY_DISABLED: '1',
  // The clone is throwaway: no turbo daemon left behind.
  TURBO_NO_UPDATE_NOTIFIER: '1',
};

/** Runs a command, returns its wall milliseconds; throws with its output's tail on failure. */
async function timed(
  command: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...ENV },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`);
  return performance.now() - started;
}

export async function buildScenario(context: BenchContext): Promise<ScenarioResult> {
  const results = {
    setup: [] as number[],
    cold: [] as number[],
    warm: [] as number[],
    generate: [] as number[],
  };
  for (let run = 1; run <= context.runs; run += 1) {
    const clone = path.join(context.tmpDir, `clone-${run}`);
    try {
      const setupMs =
        (await timed(
          'git',
          ['clone', '--quiet', '--no-local', context.repoRoot, clone],
          context.tmpDir,
          120_000,
        )) +
        (await timed(
          'cp',
          ['-al', path.join(context.repoRoot, 'node_modules'), path.join(clone, 'node_modules')],
          context.tmpDir,
          120_000,
        ));
      results.setup.push(setupMs);
      results.cold.push(await timed('npm', ['run', 'build', '--silent'], clone, 600_000));
      results.warm.push(await timed('npm', ['run', 'build', '--silent'], clone, 120_000));
      results.generate.push(
        await timed('npm', ['run', 'generate', '--silent', '--', '--force'], clone, 300_000),
      );
      context.log(
        `  run ${run}: cold ${(results.cold.at(-1)! / 1000).toFixed(1)} s, warm ${(results.warm.at(-1)! / 1000).toFixed(2)} s, generate ${(results.generate.at(-1)! / 1000).toFixed(1)} s`,
      );
    } finally {
      await timed('rm', ['-rf', clone], context.tmpDir, 120_000);
    }
  }
  const seconds = (values: number[]) => summarize(values.map((ms) => ms / 1000));
  const rows: Row[] = [
    {
      variant: 'clone + hard-linked node_modules (not a build step)',
      metrics: { seconds: seconds(results.setup) },
    },
    {
      variant: 'cold `npm run build` (fresh clone, no turbo cache)',
      metrics: { seconds: seconds(results.cold) },
    },
    {
      variant: 'no-change `npm run build` (turbo cache)',
      metrics: { seconds: seconds(results.warm) },
    },
    {
      variant: '`npm run generate -- --force` (all specs)',
      metrics: { seconds: seconds(results.generate) },
    },
  ];
  const warm = rows[2] as Row;
  const warmMedian = warm.metrics.seconds?.median ?? 0;
  warm.target = {
    description: 'warm rebuild under 2 s',
    met: warmMedian < 2,
    detail: `${warmMedian.toFixed(2)} s`,
  };
  return {
    id: 'build',
    title: '5. Build',
    setup: {
      runs: context.runs,
      source: 'git clone of HEAD',
      dependencies: 'cp -al of the working tree node_modules',
    },
    columns: [
      { header: 'step', cell: (r) => r.variant },
      { header: 'wall s', cell: (r) => cell(r, 'seconds', 2) },
      { header: 'target', cell: targetCell },
    ],
    rows,
    notes: [
      'Wall seconds include npm and turbo start-up. The clone holds HEAD only: uncommitted work in the tree is not built.',
    ],
  };
}
