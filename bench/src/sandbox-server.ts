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
  type RateLimitFault,
  type SimulatorFactory,
  startSandbox,
} from '@bulk-clients/sandbox';

export interface SandboxServerOptions {
  /** HubSpot tickets seeded, ids "1".."tickets". */
  tickets: number;
  latencyMs?: number;
  /** Per vendor API; `mode` defaults to the vendor's (HubSpot: a rolling window). */
  rateLimit?: Pick<RateLimitFault, 'requests' | 'perMs' | 'mode'>;
  /** Requests each vendor API accepts per day. */
  dailyLimit?: number;
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
  /** The same 429s by the limit that refused them. */
  rateLimitedBy: { window: number; secondly: number; daily: number };
  /** Requests received while the daily budget was already spent. */
  afterDailyLimit: number;
  /** Requests the limits let through. */
  accepted: number;
  /**
   * When each HubSpot request reached its handler (`performance.now()` of this process, in
   * order): the arrival the limits accepted, plus the fixed latency and the body read.
   */
  handledAt: number[];
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SandboxServerOptions;
  const handledAt: number[] = [];
  const hubspot: SimulatorFactory = (ctx, simulatorOptions) => {
    const simulator = createHubSpotSimulator(ctx, {
      ...simulatorOptions,
      tickets: options.tickets,
    });
    // A refused request never reaches a handler: these times are the accepted requests'.
    const routes = simulator.routes.map((route) => ({
      ...route,
      handle: (request: Parameters<typeof route.handle>[0]) => {
        handledAt.push(performance.now());
        return route.handle(request);
      },
    }));
    return { ...simulator, routes };
  };
  const sandbox = await startSandbox({
    seed: 1,
    latencyMs: options.latencyMs ?? 0,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.dailyLimit !== undefined ? { dailyLimit: options.dailyLimit } : {}),
    jobMs: options.jobMs ?? 1000,
    simulators: [hubspot, createThoughtIndustriesSimulator],
    requireSpecs: true,
  });
  process.on('message', (message: SandboxRequestMessage) => {
    if (message.type !== 'counters') return;
    const state = sandbox.state.hubspot;
    let writes = 0;
    for (const count of state?.writeCounts.values() ?? []) writes += count;
    const faults = sandbox.faults.counters;
    const counters: SandboxCounters = {
      rateLimited: faults.rateLimited,
      hubspotWrites: writes,
      hubspotTicketsWritten: state?.writeCounts.size ?? 0,
      hubspotRequests: state?.requestsToday ?? 0,
      rateLimitedBy: faults.rateLimitedBy,
      afterDailyLimit: faults.afterDailyLimit,
      accepted: faults.accepted,
      handledAt,
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
