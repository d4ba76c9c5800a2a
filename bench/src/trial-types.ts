/** What the harness asks a trial process to run, and what it answers. */

export type ClientName =
  | 'ours'
  | 'ours-node-http'
  | 'ours-legacy-bucket'
  | 'sequential'
  | 'p-limit'
  | 'official'
  | 'official-tuned'
  | 'raw-fetch';

export interface TrialRequest {
  client: ClientName;
  baseUrl: string;
  token: string;
  /** Updates to send. */
  records: number;
  /** Tickets the sandbox seeded (ids cycle through them). */
  seeded: number;
  batchSize: number;
  concurrency: number;
  /** Our client's rate limit; `false` for none. */
  rateLimit: { requests: number; perMs: number } | false;
}

export interface TrialResult {
  wallMs: number;
  /** CPU time of the trial process during the run. */
  cpuUserMs: number;
  cpuSystemMs: number;
  succeeded: number;
  failed: number;
  /** HTTP requests sent, as the client counts them. */
  requests: number;
  /** 429 answers the client saw, where it can tell. */
  rateLimited: number | null;
  maxRssBytes: number;
}

/** Counts one client keeps while it runs. */
export interface ClientCounts {
  succeeded: number;
  failed: number;
  requests: number;
  rateLimited: number | null;
}
