/**
 * One measured client run, in a process of its own: the request comes as a JSON argument, the
 * `TrialResult` goes back over IPC. Setup (imports, pre-built bodies) happens before the clock
 * and the CPU counter start.
 */
import { runOfficial } from './clients/official.js';
import { runOurs } from './clients/ours.js';
import { runPLimit } from './clients/p-limit.js';
import { prepareRawFetch } from './clients/raw-fetch.js';
import { runSequential } from './clients/sequential.js';
import type { ClientCounts, TrialRequest, TrialResult } from './trial-types.js';

function prepare(request: TrialRequest): () => Promise<ClientCounts> {
  switch (request.client) {
    case 'ours':
    case 'ours-node-http':
    case 'ours-legacy-bucket':
      return () => runOurs(request);
    case 'sequential':
      return () => runSequential(request);
    case 'p-limit':
      return () => runPLimit(request);
    case 'official':
    case 'official-tuned':
      return () => runOfficial(request);
    case 'raw-fetch':
      return prepareRawFetch(request);
  }
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as TrialRequest;
  const run = prepare(request);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const counts = await run();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const result: TrialResult = {
    wallMs,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    ...counts,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  process.send?.({ type: 'result', result }, () => process.disconnect());
}

main().catch((error: unknown) => {
  process.stderr.write(`bench trial: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
