/**
 * The sandbox as the benchmarks run it: a separate process, so that client and server never
 * share an event loop. It differs from the sandbox's own bin only in what the bin cannot set:
 * how many HubSpot tickets exist (the throughput runs update 100,000 distinct ids) and the
 * fault counters, which the parent reads over the IPC channel.
 *
 * Options come as one JSON argument (`SandboxServerOptions`); the URL is printed on stdout.
 */
import {
  createHubSpotSimulator,
  createThoughtIndustriesSimulator,
  type SimulatorFactory,
  startSandbox,
} from '@bulk-clients/sandbox';

export interface SandboxServerOptions {
  /** HubSpot tickets seeded, ids "1".."tickets". */
  tickets: number;
  latencyMs?: number;
  rateLimit?: { requests: number; perMs: number };
  jobMs?: number;
}

/** What the parent can ask over IPC. */
export type SandboxRequestMessage = { type: 'counters' };

/** The answer to `counters`. */
export interface SandboxCounters {
  rateLimited: number;
  /** Sum of HubSpot write counts: every ticket write, duplicates included. */
  hubspotWrites: number;
  /** HubSpot tickets written at least once. */
  hubspotTicketsWritten: number;
  /** Requests the HubSpot simulator authorized. */
  hubspotRequests: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SandboxServerOptions;
  const hubspot: SimulatorFactory = (ctx, simulatorOptions) =>
    createHubSpotSimulator(ctx, { ...simulatorOptions, tickets: options.tickets });
  const sandbox = await startSandbox({
    seed: 1,
    latencyMs: options.latencyMs ?? 0,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    jobMs: options.jobMs ?? 1000,
    simulators: [hubspot, createThoughtIndustriesSimulator],
    requireSpecs: true,
  });
  process.on('message', (message: SandboxRequestMessage) => {
    if (message.type !== 'counters') return;
    const state = sandbox.state.hubspot;
    let writes = 0;
    for (const count of state?.writeCounts.values() ?? []) writes += count;
    const counters: SandboxCounters = {
      rateLimited: sandbox.faults.counters.rateLimited,
      hubspotWrites: writes,
      hubspotTicketsWritten: state?.writeCounts.size ?? 0,
      hubspotRequests: state?.requestsToday ?? 0,
    };
    process.send?.({ type: 'counters', counters });
  });
  // The parent going away (even by a crash) ends the sandbox: no orphaned servers.
  process.on('disconnect', () => {
    sandbox.close().finally(() => process.exit(0));
  });
  process.stdout.write(`${sandbox.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench sandbox: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
