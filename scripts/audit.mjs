#!/usr/bin/env node
/**
 * `npm audit --omit=dev` over the published packages, read as JSON: exits 1 on any high or
 * critical advisory (naming each package and advisory), 0 when there is none. When the registry
 * cannot answer the audit (some mirrors allow GET only), it says so and exits 0, or 1 with
 * `--strict`: no result is not a clean result, and the message says which it is.
 *
 *   node scripts/audit.mjs               audit the published packages' production dependencies
 *   node scripts/audit.mjs --strict      fail when the audit cannot run
 *   node scripts/audit.mjs --from FILE   read a saved `npm audit --json` output instead
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const PUBLISHED = [
  '@bulk-clients/core',
  '@bulk-clients/hubspot',
  '@bulk-clients/thought-industries',
  '@bulk-clients/vec',
  '@bulk-clients/mpdx',
  '@bulk-clients/sandbox',
  '@bulk-clients/cli',
];
const BLOCKING = new Set(['high', 'critical']);

const { values } = parseArgs({
  options: { strict: { type: 'boolean', default: false }, from: { type: 'string' } },
});

let raw;
if (values.from) {
  raw = readFileSync(values.from, 'utf8');
} else {
  const args = ['audit', '--omit=dev', '--json', ...PUBLISHED.flatMap((name) => ['-w', name])];
  const run = spawnSync('npm', args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  raw = run.stdout;
}

let answer;
try {
  answer = JSON.parse(raw);
} catch {
  answer = { error: { summary: `npm audit printed no JSON: ${String(raw).slice(0, 200)}` } };
}

const vulnerabilities = answer?.metadata?.vulnerabilities;
if (!vulnerabilities) {
  const reason =
    answer?.message || answer?.error?.summary || answer?.error?.code || 'no advisory data';
  console.log(`npm audit could not run: ${reason}`);
  console.log('No result: the registry did not answer the audit; run it where it does.');
  process.exit(values.strict ? 1 : 0);
}

const blocking = Object.values(answer.vulnerabilities ?? {}).filter((entry) =>
  BLOCKING.has(entry.severity),
);
const counts = Object.entries(vulnerabilities)
  .filter(([severity]) => severity !== 'total')
  .map(([severity, count]) => `${count} ${severity}`)
  .join(', ');
console.log(`npm audit --omit=dev (published packages): ${counts}`);
for (const entry of blocking) {
  const advisories = (entry.via ?? [])
    .map((via) => (typeof via === 'string' ? `via ${via}` : `${via.title} (${via.url})`))
    .join('; ');
  console.log(`  ${entry.severity}: ${entry.name}@${entry.range}: ${advisories}`);
}
process.exit(blocking.length > 0 ? 1 : 0);
