import { type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import {
  createThoughtIndustriesClient,
  type ThoughtIndustriesClient,
  unwrap,
} from '../src/index.js';

export const token = 'sandbox-token';

/** Small delays everywhere, so that a run with faults takes well under a second or two. */
export const fastOptions = {
  retry: { retries: 6, minDelayMs: 5, maxDelayMs: 40 },
  poll: { minDelayMs: 5, maxDelayMs: 20, maxWaitMs: 10_000 },
  httpTimeoutMs: 5_000,
} as const;

export interface TiSandbox {
  sandbox: Sandbox;
  ti: ThoughtIndustriesClient;
  /** Ids of existing templates: the seeded ones, then the ones created for the test. */
  templateIds: string[];
  /** Write count of every template now, to compare with after a run. */
  writesNow(): Map<string, number>;
  close(): Promise<void>;
}

/**
 * A sandbox on port 0 holding at least `templates` certificate templates (the simulator seeds
 * 300; the rest are created through the bulk create endpoint), and a client for it whose rate
 * limiter never throttles by itself but still pauses on 429s.
 */
export async function startTiSandbox(templates: number, jobMs = 20): Promise<TiSandbox> {
  const sandbox = await startSandbox({ seed: 7, token, jobMs });
  const ti = createThoughtIndustriesClient({
    token,
    baseUrl: sandbox.url,
    rateLimit: { requests: 100_000, perMs: 1000 },
  });
  const state = sandbox.state.thoughtIndustries!;
  const missing = templates - state.templates.size;
  if (missing > 0) {
    const created = unwrap(
      await ti.api.POST('/incoming/v2/content/certificate-templates/bulk', {
        body: {
          templates: Array.from({ length: missing }, (_, at) => ({ title: `Created ${at}` })),
        },
      }),
    );
    const job = created.data.APIBulkCreateCertificateTemplates.backgroundJob;
    // Let the create job settle, reading its state the way a client would.
    while (job && state.jobs.get(job.id)?.settled !== true) {
      await new Promise((resolve) => setTimeout(resolve, jobMs));
    }
  }
  return {
    sandbox,
    ti,
    templateIds: [...state.templates.keys()],
    writesNow: () => new Map(state.writeCounts),
    close: () => sandbox.close(),
  };
}
