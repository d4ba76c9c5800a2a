/**
 * Finding, in the vault, the batch of a bulk request whose answer was lost: the recipients'
 * recent certificates name candidate batches, and a candidate is ours when each of its
 * certificates carries the fields of one of our entries, in entry order.
 */
import { ApiError } from '@bulk-clients/core';
import { listCertificates, PAGE_SIZE, type VaultReader } from './batch-following.js';
import { type EntryFields, sameFields } from './certificates-bulk-create-response.js';
import type { Certificate } from './types.js';

/** Pages of one recipient's certificates searched for a lost batch, newest first. */
const LOOKUP_PAGES = 3;
/** Candidate batches examined per lookup. */
const LOOKUP_BATCHES = 5;
/** Recipients whose recent certificates are searched. */
const LOOKUP_ENTRIES = 3;

/**
 * Looks in the vault for the certificates of a request whose answer was lost. Returns the batch
 * and which of our entries it holds (the others were not in it), or `undefined` when none of the
 * candidates is ours. Batches in `reported` are already accounted for and never taken.
 */
export async function findLostBatch(
  vault: VaultReader,
  entries: readonly EntryFields[],
  reported: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<{ batchId: string; held: number[] } | undefined> {
  const examined = new Set<string>();
  for (const entry of entries.slice(0, LOOKUP_ENTRIES)) {
    let recent: Certificate[];
    try {
      recent = await listCertificates(
        vault,
        { applicant_email: entry.applicant_email },
        signal,
        LOOKUP_PAGES,
      );
    } catch (error) {
      // An address the vault cannot filter by was never stored either.
      if (error instanceof ApiError && error.status === 422) continue;
      throw error;
    }
    const candidates: string[] = [];
    for (const certificate of recent) {
      const batchId = certificate.batch_id;
      if (!batchId || reported.has(batchId) || examined.has(batchId)) continue;
      if (!sameFields(entry, certificate) || candidates.includes(batchId)) continue;
      candidates.push(batchId);
    }
    for (const batchId of candidates.slice(0, LOOKUP_BATCHES)) {
      examined.add(batchId);
      const maxPages = Math.ceil(entries.length / PAGE_SIZE) + 1;
      const certificates = await listCertificates(vault, { batch_id: batchId }, signal, maxPages);
      const held = heldEntries(entries, certificates);
      if (held) return { batchId, held };
    }
  }
  return undefined;
}

/**
 * Which of `entries` a batch's certificates are, when each certificate (by ascending id, the
 * order the vault creates them in) carries the fields of a later entry than the one before.
 */
function heldEntries(
  entries: readonly EntryFields[],
  certificates: readonly Certificate[],
): number[] | undefined {
  if (certificates.length === 0 || certificates.length > entries.length) return undefined;
  const sorted = [...certificates].sort((a, b) => a.id - b.id);
  const held: number[] = [];
  let next = 0;
  for (const certificate of sorted) {
    while (next < entries.length && !sameFields(entries[next]!, certificate)) next++;
    if (next >= entries.length) return undefined;
    held.push(next);
    next++;
  }
  return held;
}
