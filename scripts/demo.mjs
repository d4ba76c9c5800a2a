// The main job behind `npm start`: runs the five bulk operations through the bulk-clients command
// against an in-process sandbox of the four APIs, writes reports and failed-record files under
// out/, then builds the offline docs portal.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDemo } from '@bulk-clients/cli';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out');
const started = performance.now();

await rm(outDir, { recursive: true, force: true });
const steps = await runDemo({ outDir });

console.log('\nBuilding the docs portal…');
execFileSync(process.execPath, [join(root, 'scripts', 'build-docs.mjs')], { stdio: 'inherit' });

const unexpected = steps.filter((step) => step.exitCode !== 0 && step.exitCode !== 1);
console.log(`Docs: open ${join(root, 'docs', 'index.html')} in a browser (works offline).`);
console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
if (unexpected.length > 0) {
  console.error(
    `Unexpected exit codes: ${unexpected.map((s) => `${s.command} -> ${s.exitCode}`).join('; ')}`,
  );
  process.exitCode = 1;
}
