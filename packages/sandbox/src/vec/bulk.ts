/**
 * `POST /business/certificate-vault/bulk`. The whole batch is checked before anything is
 * written, and every problem is reported as `Entry N: ...` (N counts from 0 in this request),
 * so a client can fix all of them at once. A rejected batch creates nothing.
 */
import { isUuid } from '@bulk-clients/core';
import type { SandboxRequest, SandboxResponse, SimulatorContext } from '../types.js';
import { entryErrors } from './errors.js';
import type { CertificateInput, StoredCertificate, VecState } from './state.js';

export const MAX_FIELD_LENGTH = 255;
export const MAX_DETAILS_LENGTH = 1000;

const REQUIRED_TEXT = ['certificate_title', 'full_name', 'applicant_email'] as const;
// As strict as the `email` format the spec's validators apply, so that every accepted address
// is also valid in the responses that echo it.
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

/** Options of the bulk endpoint's background processing. */
export interface ProcessingOptions {
  /** Share of certificates whose generation fails, drawn from the seeded PRNG. */
  failureRate: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** Every problem of one entry, as messages without the `Entry N:` prefix. */
function entryProblems(
  entry: unknown,
  state: VecState,
  firstUseInRequest: Map<string, number>,
  index: number,
): { problems: string[]; unresolved: boolean } {
  if (!isRecord(entry)) {
    return {
      problems: [
        'must be an object with certificate_title, full_name, applicant_email and file_id',
      ],
      unresolved: false,
    };
  }
  const problems: string[] = [];
  for (const field of REQUIRED_TEXT) {
    const value = entry[field];
    if (value === undefined || value === null || value === '')
      problems.push(`${field} is required`);
    else if (typeof value !== 'string') problems.push(`${field} must be a string`);
    else if (value.length > MAX_FIELD_LENGTH) {
      problems.push(`${field} must not be greater than ${MAX_FIELD_LENGTH} characters`);
    } else if (field === 'applicant_email' && !EMAIL.test(value)) {
      problems.push(`applicant_email ${value} is not a valid email address`);
    }
  }
  let unresolved = false;
  const fileId = entry.file_id;
  if (fileId === undefined || fileId === null || fileId === '')
    problems.push('file_id is required');
  else if (typeof fileId !== 'string') problems.push('file_id must be a string');
  else if (!isUuid(fileId)) problems.push(`file_id ${fileId} is not a valid UUID`);
  else {
    const key = fileId.toLowerCase();
    const earlier = firstUseInRequest.get(key);
    if (!state.files.has(key)) {
      problems.push(`file_id ${fileId} not found`);
      unresolved = true;
    } else if ((state.certificatesPerFile.get(key) ?? 0) > 0) {
      problems.push(`file_id ${fileId} has already been used by another certificate`);
    } else if (earlier !== undefined) {
      problems.push(`file_id ${fileId} is already used by entry ${earlier}`);
    }
    if (earlier === undefined) firstUseInRequest.set(key, index);
  }
  const issueDate = entry.issue_date;
  if (issueDate !== undefined && issueDate !== null) {
    if (typeof issueDate !== 'string' || !isCalendarDate(issueDate)) {
      problems.push('issue_date must be a date in the format YYYY-MM-DD');
    }
  }
  const details = entry.details;
  if (details !== undefined && details !== null) {
    if (typeof details !== 'string') problems.push('details must be a string');
    else if (details.length > MAX_DETAILS_LENGTH) {
      problems.push(`details must not be greater than ${MAX_DETAILS_LENGTH} characters`);
    }
  }
  return { problems, unresolved };
}

/** Checks a whole request body; returns the 422 to send, or the entries when all are valid. */
export function checkBulkBody(
  body: unknown,
  state: VecState,
): { rejected: SandboxResponse } | { entries: CertificateInput[] } {
  const entries = isRecord(body) ? body.entries : undefined;
  if (entries === undefined || entries === null) {
    return {
      rejected: entryErrors('The entries field is required.', ['The entries field is required.']),
    };
  }
  if (!Array.isArray(entries)) {
    return {
      rejected: entryErrors('The entries field must be an array.', [
        'The entries field must be an array.',
      ]),
    };
  }
  if (entries.length === 0) {
    const message = 'The entries field must have at least 1 item.';
    return { rejected: entryErrors(message, [message]) };
  }
  const firstUseInRequest = new Map<string, number>();
  const errors: string[] = [];
  let onlyUnresolved = true;
  entries.forEach((entry, index) => {
    const { problems, unresolved } = entryProblems(entry, state, firstUseInRequest, index);
    for (const problem of problems) errors.push(`Entry ${index}: ${problem}`);
    if (problems.length > (unresolved ? 1 : 0)) onlyUnresolved = false;
  });
  if (errors.length > 0) {
    const invalid = new Set(errors.map((error) => error.slice(0, error.indexOf(':')))).size;
    const message = onlyUnresolved
      ? 'Some file_ids could not be resolved'
      : `${invalid} of ${entries.length} entries ${invalid === 1 ? 'is' : 'are'} invalid`;
    return { rejected: entryErrors(message, errors) };
  }
  return { entries: entries.map((entry) => pickInput(entry as Record<string, unknown>)) };
}

function pickInput(entry: Record<string, unknown>): CertificateInput {
  const input: CertificateInput = {
    certificate_title: entry.certificate_title as string,
    full_name: entry.full_name as string,
    applicant_email: entry.applicant_email as string,
    file_id: (entry.file_id as string).toLowerCase(),
  };
  if (typeof entry.issue_date === 'string') input.issue_date = entry.issue_date;
  if (typeof entry.details === 'string') input.details = entry.details;
  return input;
}

/** Decides a fresh attempt's fate: a fault-driven failure or the seeded failure share. */
export function decideOutcome(
  ctx: SimulatorContext,
  options: ProcessingOptions,
): 'generated' | 'failed' {
  // Draw first so that the seeded sequence does not depend on the fault setting.
  const roll = ctx.random();
  return ctx.jobShouldFail() || roll < options.failureRate ? 'failed' : 'generated';
}

export function bulkCreate(state: VecState, ctx: SimulatorContext, options: ProcessingOptions) {
  return (request: SandboxRequest): SandboxResponse => {
    const checked = checkBulkBody(request.body, state);
    if ('rejected' in checked) return checked.rejected;
    const now = ctx.now();
    const jobMs = ctx.jobMs();
    const batchId = ctx.uuid();
    const count = checked.entries.length;
    // Certificates are generated one after another across the job's duration, each first
    // waiting half its slot as `pending`, so a poll sees the batch progress step by step.
    const slot = jobMs / count;
    const uuids = checked.entries.map((entry, index) => {
      const certificate = newCertificate(state, ctx, entry, {
        batchId,
        now,
        startsAt: now + slot * index + slot / 2,
        settlesAt: now + slot * (index + 1),
        outcome: decideOutcome(ctx, options),
      });
      return certificate.uuid;
    });
    state.batches.set(batchId, { batchId, createdAt: now, certificateUuids: uuids });
    return {
      status: 202,
      body: {
        message: 'Bulk vault upload queued for processing',
        data: { batch_id: batchId, total: count, status: 'processing' },
      },
    };
  };
}

/** Stores a certificate made from `entry` and counts its file's use. */
export function newCertificate(
  state: VecState,
  ctx: SimulatorContext,
  entry: CertificateInput,
  plan: Pick<StoredCertificate, 'batchId' | 'startsAt' | 'settlesAt' | 'outcome'> & {
    now: number;
    source?: StoredCertificate['source'];
  },
): StoredCertificate {
  state.lastCertificateId += 1;
  const id = state.lastCertificateId;
  const certificate: StoredCertificate = {
    id,
    uuid: ctx.uuid(),
    referenceId: `VC-${new Date(plan.now).getUTCFullYear()}-${String(id).padStart(6, '0')}`,
    entry,
    source: plan.source ?? 'bulk_upload',
    batchId: plan.batchId,
    createdAt: plan.now,
    queuedAt: plan.now,
    startsAt: plan.startsAt,
    settlesAt: plan.settlesAt,
    outcome: plan.outcome,
    attempts: 1,
  };
  state.certificates.set(certificate.uuid, certificate);
  state.certificatesPerFile.set(
    entry.file_id,
    (state.certificatesPerFile.get(entry.file_id) ?? 0) + 1,
  );
  return certificate;
}
