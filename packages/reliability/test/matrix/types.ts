/** What the fault matrix runs: one vendor operation, one fault, and the figures of a cell. */
import type { BulkReport, FetchLike } from '@bulk-clients/core';
import type { FaultCounters, FaultSettings, Sandbox } from '@bulk-clients/sandbox';

/** Options every operation's run takes from the fault it faces. */
export interface CellOptions {
  /** Timeout of each HTTP request (or the engine's per request where the client has no other). */
  timeoutMs: number;
  /**
   * Whether the fault can lose an answer after the vendor applied the request (reset after the
   * handler, a cut body, a timeout). An idempotent update is then sent again and written twice;
   * a create never may be.
   */
  lostAnswers: boolean;
  /** The client's transport; the global `fetch` when not given. */
  fetch?: FetchLike | undefined;
}

/** The counts of a report that a cell shows. */
export type CellCounts = Pick<
  BulkReport<unknown, unknown>,
  'total' | 'succeeded' | 'failed' | 'unknown' | 'skipped' | 'requests' | 'retries'
>;

/** What a cell found in the sandbox beyond the report's counts. */
export interface CellFindings {
  /** Records the vendor wrote more than once (idempotent updates re-sent after a lost answer). */
  rewritten: number;
  /** Records reported failed that the vendor had written anyway: an open bug, 0 when fixed. */
  failedYetWritten: number;
}

/** The figures of one cell, read off the report and the sandbox. */
export type CellFigures = CellCounts & CellFindings;

/** A vendor bulk operation under test, with the checks of the sandbox's final state. */
export interface MatrixOperation {
  name: string;
  vendor: 'hubspot' | 'thought-industries' | 'vec' | 'mpdx';
  /** Records per cell at scale 1; fewer for operations that do more per record. */
  records: number;
  /** Whether the operation waits for background jobs (so job faults apply). */
  hasJobs: boolean;
  /** Token bucket of the 429 cells: small enough to be hit in bursts by this operation. */
  burst: { requests: number; perMs: number };
  /** Readies the sandbox (data the records need), before any fault is set. */
  prepare(sandbox: Sandbox, count: number): Promise<void>;
  /** Runs `count` records and checks the sandbox's final state; returns the figures. */
  run(sandbox: Sandbox, count: number, options: CellOptions): Promise<CellFigures>;
}

/** A fault of the matrix, applied at the operation's vendor scope. */
export interface MatrixFault {
  name: string;
  settings(operation: MatrixOperation): FaultSettings;
  /** What the sandbox injected, from its counters. */
  injected(counters: FaultCounters): number;
  /** Only for operations with background jobs. */
  jobsOnly?: boolean;
  /** @default 5000 */
  timeoutMs?: number;
  lostAnswers: boolean;
  /**
   * The vendor states this fault in its headers, so a client that follows them (HubSpot's learns
   * the window from the first answers) may never meet it: the cell then proves that the run stays
   * within the limit, and 429s are not required.
   */
  avoidable?: boolean;
}
