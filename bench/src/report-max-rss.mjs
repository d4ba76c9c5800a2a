// Preloaded into a measured process (`node --import`): on exit, writes the process's peak
// resident set size in bytes to the file named by BENCH_MAX_RSS_FILE. Plain JavaScript, so the
// measured process loads no transpiler.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_MAX_RSS_FILE;
if (file) {
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS * 1024));
  });
}
