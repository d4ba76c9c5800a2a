/**
 * Pure mappers from the vault's answers to one result per entry of a bulk request: the 422
 * `Entry N: ...` list, and the certificates a batch created. No I/O here, so that they can be
 * tested against any answer, well-formed or not.
 */
import type { ItemError, ItemResult } from '@bulk-clients/core';
import type { Certificate, CertificateEntry } from './types.js';

/** The fields of an entry that the vault echoes on the certificate it creates. */
export type EntryFields = Pick<
  CertificateEntry,
  'certificate_title' | 'full_name' | 'applicant_email' | 'issue_date'
>;

/** The entry fields the vault names in its messages, longest first so that none hides another. */
const ENTRY_FIELDS = [
  'certificate_title',
  'applicant_email',
  'issue_date',
  'full_name',
  'file_id',
  'details',
] as const;

const ENTRY_MESSAGE = /^\s*Entry\s+(\d+)\s*:\s*([\s\S]*)$/i;

/** The `errors` of a bulk 422, split by the entry each message names. */
export interface EntryErrors {
  /** Messages (without the `Entry N:` prefix) by position in the request; `undefined` if none. */
  byEntry: (string[] | undefined)[];
  /** Raw messages naming each entry, as the vault sent them. */
  rawByEntry: (string[] | undefined)[];
  /** Messages that name no entry of the request (or an index outside it). */
  unattributed: string[];
}

/**
 * Splits the `errors` of a bulk 422 by entry. `count` is the number of entries in the request:
 * an `Entry N` outside `[0, count)` cannot be attributed and lands in `unattributed`, with any
 * message that is not of the `Entry N: ...` form.
 */
export function parseEntryErrors(body: unknown, count: number): EntryErrors {
  const byEntry: (string[] | undefined)[] = Array.from({ length: count }, () => undefined);
  const rawByEntry: (string[] | undefined)[] = Array.from({ length: count }, () => undefined);
  const unattributed: string[] = [];
  const errors = isRecord(body) ? body.errors : undefined;
  const messages: unknown[] = Array.isArray(errors)
    ? errors
    : isRecord(errors)
      ? Object.values(errors).flat()
      : [];
  for (const raw of messages) {
    if (typeof raw !== 'string') continue;
    const match = ENTRY_MESSAGE.exec(raw);
    const position = match ? Number(match[1]) : Number.NaN;
    if (!match || !Number.isSafeInteger(position) || position >= count) {
      unattributed.push(raw);
      continue;
    }
    const messagesOfEntry = byEntry[position] ?? [];
    const rawOfEntry = rawByEntry[position] ?? [];
    messagesOfEntry.push(match[2]!.trim());
    rawOfEntry.push(raw);
    byEntry[position] = messagesOfEntry;
    rawByEntry[position] = rawOfEntry;
  }
  if (messages.length === 0) {
    const message = isRecord(body) && typeof body.message === 'string' ? body.message : undefined;
    if (message) unattributed.push(message);
  }
  return { byEntry, rawByEntry, unattributed };
}

/** The entry field a vault message is about, when it names one. */
export function fieldOfMessage(message: string): string | undefined {
  let best: { field: string; at: number } | undefined;
  for (const field of ENTRY_FIELDS) {
    const at = new RegExp(`\\b${field}\\b`).exec(message)?.index;
    if (at !== undefined && (best === undefined || at < best.at)) best = { field, at };
  }
  return best?.field;
}

/**
 * Whether a message says the entry's file was already used by a certificate outside this request.
 * After a lost answer, that is evidence that our own earlier request created it.
 */
export function isFileAlreadyUsed(message: string): boolean {
  return /already (?:been )?used/i.test(message) && !/by entry \d+/i.test(message);
}

function codeOfMessages(messages: readonly string[]): string {
  const [first] = messages;
  if (messages.length === 1 && first !== undefined && /\bfile_id\b/.test(first)) {
    if (/by entry \d+/i.test(first)) return 'file_id_duplicate';
    if (isFileAlreadyUsed(first)) return 'file_id_already_used';
    if (/not found/i.test(first)) return 'file_id_not_found';
  }
  return 'validation_failed';
}

/**
 * Maps a rejected bulk request (a 422 that created nothing) to one result per entry it carried:
 * the entries the vault names fail with its messages, the others are `resend` (they were not
 * processed only because of the others). When the vault names no entry of the request, every
 * entry fails with its message, since none can be told apart.
 *
 * @param body The 422 body, `{ message, errors: ['Entry N: ...'] }` (anything else is tolerated).
 * @param records The input index of each entry of the request, in request order.
 */
export function mapBulkRejection(
  body: unknown,
  records: readonly number[],
  status = 422,
): ItemResult<never>[] {
  const parsed = parseEntryErrors(body, records.length);
  const anyNamed = parsed.byEntry.some((messages) => messages !== undefined);
  if (!anyNamed) {
    const vendorMessage =
      parsed.unattributed.join('; ') || 'The vault rejected the request without naming an entry';
    return records.map((record) => ({
      kind: 'failed',
      error: {
        code: 'validation_failed',
        message: `Record ${record}: ${vendorMessage}`,
        status,
        vendor: body,
      },
    }));
  }
  return records.map((record, position): ItemResult<never> => {
    const messages = parsed.byEntry[position];
    if (!messages) return { kind: 'resend' };
    const error: ItemError = {
      code: codeOfMessages(messages),
      message: `Record ${record}: ${messages.join('; ')}`,
      status,
      vendor: parsed.rawByEntry[position],
    };
    const field = messages.map(fieldOfMessage).find((name) => name !== undefined);
    if (field !== undefined) error.field = field;
    return { kind: 'failed', error };
  });
}

/**
 * Whether a 422 to a request says that every one of its entries was already applied: each entry
 * is named, and only for its file having been used by another certificate.
 */
export function showsAllFilesUsed(body: unknown, count: number): boolean {
  if (count === 0) return false;
  const { byEntry } = parseEntryErrors(body, count);
  return byEntry.every(
    (messages) => messages?.every((message) => isFileAlreadyUsed(message)) === true,
  );
}

/** What the vault holds for one entry of a batch. */
export type CertificateMatch =
  | { kind: 'succeeded'; value: Certificate }
  | { kind: 'failed'; error: ItemError }
  /** Created, not settled yet: keep polling. */
  | { kind: 'pending'; certificate: Certificate }
  /** No certificate of the batch matches this entry. */
  | { kind: 'missing' };

/** Whether a certificate carries the fields of an entry. */
export function sameFields(entry: EntryFields, certificate: Certificate): boolean {
  return (
    certificate.certificate_title === entry.certificate_title &&
    certificate.full_name === entry.full_name &&
    typeof certificate.applicant_email === 'string' &&
    certificate.applicant_email.toLowerCase() === entry.applicant_email.toLowerCase() &&
    (entry.issue_date === undefined || certificate.issue_date === entry.issue_date)
  );
}

/**
 * Maps the certificates of one batch to the entries of the request that created it, one match
 * per entry, each certificate used at most once. The vault creates a batch's certificates in
 * entry order, so the one-to-one case is positional (by ascending `id`); otherwise each entry
 * takes the first unused certificate with its fields.
 *
 * @param records The input index of each entry, for messages.
 */
export function matchBatchCertificates(
  entries: readonly EntryFields[],
  certificates: readonly Certificate[],
  records: readonly number[],
): CertificateMatch[] {
  const sorted = certificates
    .filter((certificate) => isRecord(certificate))
    .slice()
    .sort((a, b) => Number(a.id) - Number(b.id));
  const positional =
    sorted.length === entries.length &&
    entries.every((entry, position) => sameFields(entry, sorted[position]!));
  const used = new Set<number>();
  return entries.map((entry, position) => {
    let found: Certificate | undefined;
    if (positional) found = sorted[position];
    else {
      const at = sorted.findIndex(
        (certificate, i) => !used.has(i) && sameFields(entry, certificate),
      );
      if (at >= 0) {
        used.add(at);
        found = sorted[at];
      }
    }
    return found ? settle(found, records[position] ?? position) : { kind: 'missing' };
  });
}

function settle(certificate: Certificate, record: number): CertificateMatch {
  const status = isRecord(certificate.status) ? certificate.status : undefined;
  const value = status?.value;
  if (value === 'generated') return { kind: 'succeeded', value: certificate };
  if (value === 'failed' || value === 'revoked') {
    const why = typeof status?.description === 'string' ? ` (${status.description})` : '';
    return {
      kind: 'failed',
      error: {
        code: value === 'failed' ? 'certificate_failed' : 'certificate_revoked',
        message:
          value === 'failed'
            ? `Record ${record}: the vault could not generate certificate ${certificate.reference_id}${why}`
            : `Record ${record}: certificate ${certificate.reference_id} was revoked${why}`,
        vendor: certificate,
      },
    };
  }
  return { kind: 'pending', certificate };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
