/**
 * The shapes a distributed run keeps in Redis and on its queue. A leaf module: every other module
 * of `runs/` imports its types from here. Nothing here ever holds a token.
 */

/** One record of a chunk: where it came from, and the API item built from it. */
export interface ChunkEntry {
  /** Line of the input on which the record starts. */
  line: number;
  /** The record as read (a CSV row or a JSON object), shown again for failed records. */
  record: unknown;
  /** The API item, already checked against the spec when the run was enqueued. */
  item: unknown;
}

/** The data of one chunk job on the queue. */
export interface ChunkJobData {
  runId: string;
  /** Position of the chunk in the run, from 0. */
  chunk: number;
  entries: ChunkEntry[];
}

/** What a run is, as the enqueuing process recorded it. */
export interface RunDefinition {
  runId: string;
  /** The vendor, e.g. `mpdx`. */
  api: string;
  /** The operation, e.g. `preferences-create`. */
  operation: string;
  /**
   * The operation's parameters as the command parsed them (base URL, `--account-list`, batch
   * size, limits...), never a token: workers take tokens from their own environment.
   */
  parameters: Record<string, unknown>;
  /** Chunks of the run still being enqueued while `enqueuing` is true. */
  enqueuing: boolean;
  /** Chunks on the queue. */
  chunks: number;
  /** Records on the queue. */
  enqueued: number;
  /** Records refused before enqueueing (counted as failed). */
  invalid: number;
  /** Records of the last chunk queued (to take it back if its enqueuer died before queueing it). */
  lastChunkRecords?: number | undefined;
  /** Most chunks of the account (vendor and account) processed at once, across every worker. */
  chunksPerAccount: number;
  /** How long the run's keys stay in Redis once every record is settled (ms). */
  keepForMs?: number | undefined;
  /**
   * Set when the enqueuing stopped before the end of its input (interrupted, or its process
   * died): the run holds only the records enqueued until then.
   */
  interrupted?: string | undefined;
  /** Epoch ms. */
  createdAt: number;
}

/** A worker that cannot take a run's chunks (e.g. it lacks the vendor's token), and why. */
export interface DeclinedBy {
  worker: string;
  reason: string;
  /** Epoch ms of the last time it declined. */
  at: number;
}

/** A record that did not succeed, as `runs status --failed-out` lists it. */
export interface FailedChunkRecord {
  line: number;
  state: 'failed' | 'unknown' | 'skipped' | 'invalid';
  reason: string;
  field?: string | undefined;
  status?: number | undefined;
  record: unknown;
}

/** The final outcome of one chunk, written once. */
export interface ChunkOutcome {
  chunk: number;
  /** The worker that settled it. */
  worker: string;
  succeeded: number;
  failed: number;
  unknown: number;
  skipped: number;
  requests: number;
  retries: number;
  throttledMs: number;
  /** Epoch ms of the attempt that settled it. */
  startedAt: number;
  finishedAt: number;
  /** Attempts the chunk took (1 unless a worker died or an attempt failed). */
  attempts: number;
  failedRecords: FailedChunkRecord[];
}

/** A run's totals, derived from its chunks' outcomes. */
export interface RunStatus {
  run: RunDefinition;
  total: number;
  succeeded: number;
  failed: number;
  unknown: number;
  skipped: number;
  requests: number;
  retries: number;
  throttledMs: number;
  /** From the first chunk started to the last one settled (0 before any settled). */
  durationMs: number;
  chunksSettled: number;
  chunksPending: number;
  /** Workers that settled or started chunks of the run. */
  workers: string[];
  /** Every record settled: nothing more will change. */
  settled: boolean;
  /** Workers that declined the run's chunks, left for other workers (none once settled). */
  declinedBy: DeclinedBy[];
}
