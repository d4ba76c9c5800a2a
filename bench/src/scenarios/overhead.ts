/**
 * Scenario 2, client overhead: the same updates with no latency and no rate limit, so the
 * client's own cost shows. Ours against `fetch` posting bodies serialized before the clock
 * starts. Both run at concurrency 4 in a process of their own; CPU is that process's
 * `process.cpuUsage()` over the run. The runs alternate between the two clients so that drift
 * in the machine's load hits both.
 */
import type { BenchContext, Row, ScenarioResult } from '../result-types.js';
import { SANDBOX_TOKEN, startSandboxProcess } from '../sandbox-process.js';
import { summarize } from '../stats.js';
import { cell, targetCell } from '../table.js';
import { runTrial } from '../trial-process.js';
import type { ClientName, TrialResult } from '../trial-types.js';

const CONCURRENCY = 4;

const VARIANTS: Partial<Record<ClientName, string>> = {
  ours: 'ours (tickets.batchUpdate, global fetch)',
  'ours-node-http': 'ours, node:http transport (as the CLI)',
  'raw-fetch': 'raw fetch, pre-built bodies',
};
const BATCH = 100;

export async function overheadScenario(context: BenchContext): Promise<ScenarioResult> {
  const records = context.quick ? 3000 : 100_000;
  const clients: ClientName[] = ['ours', 'ours-node-http', 'raw-fetch'];
  const results = new Map<ClientName, TrialResult[]>(clients.map((client) => [client, []]));
  for (let run = 1; run <= context.runs; run += 1) {
    const order = run % 2 === 1 ? clients : [...clients].reverse();
    for (const client of order) {
      const sandbox = await startSandboxProcess({ tickets: records });
      try {
        const result = await runTrial(
          {
            client,
            baseUrl: sandbox.url,
            token: SANDBOX_TOKEN,
            records,
            seeded: records,
            batchSize: BATCH,
            concurrency: CONCURRENCY,
            rateLimit: false,
          },
          Math.max(60_000, records * 2),
        );
        results.get(client)?.push(result);
        context.log(
          `  ${client} run ${run}: ${Math.round((result.succeeded / result.wallMs) * 1000)} records/s, ${(((result.cpuUserMs + result.cpuSystemMs) / result.succeeded) * 1000).toFixed(1)} ms CPU / 1,000`,
        );
      } finally {
        await sandbox.stop();
      }
    }
  }
  const rows: Row[] = clients.map((client) => {
    const list = results.get(client) ?? [];
    return {
      variant: VARIANTS[client] ?? client,
      metrics: {
        recordsPerSecond: summarize(list.map((r) => (r.succeeded / r.wallMs) * 1000)),
        cpuMsPer1000: summarize(
          list.map((r) => ((r.cpuUserMs + r.cpuSystemMs) / Math.max(1, r.succeeded)) * 1000),
        ),
        failed: summarize(list.map((r) => r.failed)),
        maxRssMiB: summarize(list.map((r) => r.maxRssBytes / 2 ** 20)),
      },
      facts: { records, concurrency: CONCURRENCY },
    };
  });
  const raw = rows[clients.indexOf('raw-fetch')]!;
  for (const ours of rows.filter((row) => row !== raw)) {
    const speed =
      (ours.metrics.recordsPerSecond?.median ?? 0) / (raw.metrics.recordsPerSecond?.median ?? 1);
    const cpu = (ours.metrics.cpuMsPer1000?.median ?? 0) / (raw.metrics.cpuMsPer1000?.median ?? 1);
    ours.target = {
      description: 'within 10% of raw fetch (records/s and CPU per 1,000 records)',
      met: speed >= 0.9 && cpu <= 1.1,
      detail: `records/s x${speed.toFixed(2)}, CPU x${cpu.toFixed(2)} of raw fetch`,
    };
  }
  return {
    id: 'overhead',
    title: '2. Client overhead (no latency, no limit)',
    setup: { records, concurrency: CONCURRENCY, batchSize: BATCH, runs: context.runs },
    columns: [
      { header: 'client', cell: (row) => row.variant },
      { header: 'records', cell: (row) => String(row.facts?.records ?? '') },
      { header: 'records/s', cell: (row) => cell(row, 'recordsPerSecond') },
      { header: 'CPU ms / 1,000 records', cell: (row) => cell(row, 'cpuMsPer1000', 1) },
      { header: 'peak RSS MiB', cell: (row) => cell(row, 'maxRssMiB') },
      { header: 'failed', cell: (row) => cell(row, 'failed') },
      { header: 'target', cell: targetCell },
    ],
    rows,
    notes: [
      "Client and sandbox share the 2 cores (the sandbox validates every request against the spec), so CPU the client spends is CPU the server does not get: records/s follows CPU per 1,000 records, and it is noisy on a shared machine. CPU per 1,000 records is the client process's own cost.",
      'The node:http row is the same client given `fetch: createNodeFetch()` from `@bulk-clients/core/node-fetch`, the transport the CLI uses; the floor stays the global `fetch`.',
      'Raw fetch does not build the update objects nor validate them, and it serialized its bodies before the clock started: it is a floor, not a competitor.',
    ],
  };
}
