/**
 * Following a batch the vault accepted until each entry's certificate settles, and the paged
 * certificate list that following (and the search for a lost batch) reads.
 */
import { ApiError, type Clock, pollUntilDone, unwrap } from '@bulk-clients/core';
import {
  type CertificateMatch,
  type EntryFields,
  matchBatchCertificates,
} from './certificates-bulk-create-response.js';
import { retryAfterFromHeaders, vecDefaults } from './defaults.js';
import type {
  BatchStatusValue,
  Certificate,
  CertificatesBulkCreatePollOptions,
  ListCertificatesQuery,
  VecApi,
} from './types.js';

/** Largest page of the certificate list, so that a batch is read in as few requests as can be. */
export const PAGE_SIZE = vecDefaults.listPageSize.max;

const UNWRAP_OPTIONS = { retryAfter: retryAfterFromHeaders };
const SETTLED_BATCH: readonly BatchStatusValue[] = vecDefaults.settledBatchStatuses;

/** How the vault is read: the typed client, and the signal each request gets. */
export interface VaultReader {
  api: VecApi;
  /** Gives each request its own signal, with the per-request timeout. */
  requestSignal(signal: AbortSignal): AbortSignal;
}

/** A batch the vault accepted: what was sent, for following it and reading it back. */
export interface Tracking {
  batchId: string;
  /** Positions in the engine's batch of the entries sent. */
  positions: number[];
  entries: EntryFields[];
  records: number[];
  timedOut: boolean;
}

/** Every certificate a query finds, over at most `maxPages` pages. */
export async function listCertificates(
  vault: VaultReader,
  query: ListCertificatesQuery,
  signal: AbortSignal,
  maxPages: number,
): Promise<Certificate[]> {
  const found: Certificate[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const list = unwrap(
      await vault.api.GET('/business/certificate-vault', {
        params: { query: { ...query, per_page: PAGE_SIZE, page } },
        signal: vault.requestSignal(signal),
      }),
      UNWRAP_OPTIONS,
    );
    found.push(...list.data);
    if (!list.links?.next || list.data.length === 0) break;
  }
  return found;
}

/** How {@link followBatch} waits. */
export interface FollowOptions {
  /** The run's poll delays (`maxWaitMs` is taken from `maxWaitMs` below). */
  poll: Required<CertificatesBulkCreatePollOptions>;
  /** How long to wait this time. */
  maxWaitMs: number;
  clock: Clock;
  /** Poll the list alone, for a batch the status endpoint does not know. */
  listOnly?: boolean | undefined;
}

/**
 * Follows an accepted batch until every entry's certificate settles: the batch status first
 * (one cheap request per check), then its certificates through the list's `batch_id` filter.
 * Where the status endpoint does not know the batch, the list alone is polled.
 */
export async function followBatch(
  vault: VaultReader,
  tracking: Tracking,
  signal: AbortSignal,
  options: FollowOptions,
): Promise<{ matches: CertificateMatch[]; timedOut: boolean }> {
  let useList = options.listOnly ?? false;
  const maxPages = Math.ceil(tracking.entries.length / PAGE_SIZE) + 1;
  const result = await pollUntilDone<CertificateMatch[] | undefined>(
    async ({ signal: pollSignal }) => {
      const current = pollSignal ?? signal;
      if (!useList) {
        try {
          const status = unwrap(
            await vault.api.GET('/business/batches/{batchId}/status', {
              params: { path: { batchId: tracking.batchId } },
              signal: vault.requestSignal(current),
            }),
            UNWRAP_OPTIONS,
          );
          if (!SETTLED_BATCH.includes(status.status)) return { state: 'pending', value: undefined };
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 404)) throw error;
          useList = true;
        }
      }
      const certificates = await listCertificates(
        vault,
        { batch_id: tracking.batchId },
        current,
        maxPages,
      );
      const matches = matchBatchCertificates(tracking.entries, certificates, tracking.records);
      // Through the list alone, a certificate not listed yet may still appear.
      const open = matches.some(
        (match) => match.kind === 'pending' || (useList && match.kind === 'missing'),
      );
      return { state: open ? 'pending' : 'succeeded', value: matches };
    },
    { ...options.poll, maxWaitMs: options.maxWaitMs, signal, clock: options.clock },
  );
  if (result.state === 'aborted') throw signal.reason ?? new DOMException('Aborted', 'AbortError');
  const matches =
    result.last ?? tracking.entries.map((): CertificateMatch => ({ kind: 'missing' }));
  return { matches, timedOut: result.state === 'timeout' };
}
