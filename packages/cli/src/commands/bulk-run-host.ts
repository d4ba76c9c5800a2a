import type { BulkAdapter, RequestLimiter } from '@bulk-clients/core';
import type { InputEntry } from './input-entry.js';

/** A vendor command's run, as it is handed to a {@link BulkRunHost} instead of being run here. */
export interface HostedBulkRun {
  /** The vendor adapter over input entries (the same one the local run uses). */
  adapter: BulkAdapter<InputEntry<unknown>, unknown>;
  /** The client's limiter: with `--redis`, the account's shared one. */
  limiter: RequestLimiter | undefined;
  batchSize: number;
  requestTimeoutMs: number | undefined;
  /** Closes what the command opened (transport, shared limiter). */
  close(): Promise<void>;
}

/**
 * Takes over a bulk command once its client and adapter are made: a worker processes queued
 * chunks with them instead of reading `--input`.
 */
export interface BulkRunHost {
  run(run: HostedBulkRun): Promise<number>;
}
