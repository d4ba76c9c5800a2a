/** The vault's read side: list (with Laravel pagination), read one, and retry a failed one. */
import type { SandboxRequest, SandboxResponse, SimulatorContext } from '../types.js';
import { decideOutcome, type ProcessingOptions } from './bulk.js';
import { fieldErrors, notFound } from './errors.js';
import { presentCertificate } from './present.js';
import {
  type CertificateStatusValue,
  type StoredCertificate,
  statusAt,
  type VecState,
} from './state.js';

export const DEFAULT_PAGE_SIZE = 15;
export const MAX_PAGE_SIZE = 100;

const STATUSES: readonly CertificateStatusValue[] = [
  'pending',
  'processing',
  'generated',
  'failed',
  'revoked',
];
// Query parameters carried into the pagination links, as Laravel's `withQueryString()` does.
const FILTERS = ['search', 'status', 'applicant_email', 'batch_id', 'per_page'] as const;

function positiveInteger(value: string | null, fallback: number): number | undefined {
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value)) return undefined;
  const parsed = Number(value);
  return parsed >= 1 ? parsed : undefined;
}

function matches(certificate: StoredCertificate, query: URLSearchParams, now: number): boolean {
  const status = query.get('status');
  if (status && statusAt(certificate, now) !== status) return false;
  const email = query.get('applicant_email');
  if (email && certificate.entry.applicant_email.toLowerCase() !== email.toLowerCase())
    return false;
  const batchId = query.get('batch_id');
  if (batchId && certificate.batchId !== batchId.toLowerCase()) return false;
  const search = query.get('search')?.trim().toLowerCase();
  if (search) {
    const haystack = [
      certificate.referenceId,
      certificate.entry.certificate_title,
      certificate.entry.full_name,
      certificate.entry.applicant_email,
    ];
    if (!haystack.some((text) => text.toLowerCase().includes(search))) return false;
  }
  return true;
}

function baseUrlOf(request: SandboxRequest): string {
  const host = request.headers.host ?? '127.0.0.1';
  return `http://${host}${request.path}`;
}

export function listCertificates(state: VecState, ctx: SimulatorContext) {
  return (request: SandboxRequest): SandboxResponse => {
    const { query } = request;
    const perPage = positiveInteger(query.get('per_page'), DEFAULT_PAGE_SIZE);
    const page = positiveInteger(query.get('page'), 1);
    const errors: Record<string, string[]> = {};
    if (perPage === undefined || perPage > MAX_PAGE_SIZE) {
      errors.per_page = [`The per page field must be an integer between 1 and ${MAX_PAGE_SIZE}.`];
    }
    if (page === undefined) errors.page = ['The page field must be an integer of at least 1.'];
    const status = query.get('status');
    if (status && !STATUSES.includes(status as CertificateStatusValue)) {
      errors.status = ['The selected status is invalid.'];
    }
    if (perPage === undefined || page === undefined || Object.keys(errors).length > 0) {
      return fieldErrors(errors);
    }

    const now = ctx.now();
    const found = [...state.certificates.values()]
      .filter((certificate) => matches(certificate, query, now))
      .sort((a, b) => b.id - a.id);
    const total = found.length;
    const lastPage = Math.max(1, Math.ceil(total / perPage));
    const start = (page - 1) * perPage;
    const onPage = found.slice(start, start + perPage);
    const path = baseUrlOf(request);
    const pageUrl = (n: number) => {
      const params = new URLSearchParams();
      for (const name of FILTERS) {
        const value = query.get(name);
        if (value !== null && value !== '') params.set(name, value);
      }
      params.set('page', String(n));
      return `${path}?${params.toString()}`;
    };
    const prev = page > 1 ? pageUrl(page - 1) : null;
    const next = page < lastPage ? pageUrl(page + 1) : null;
    return {
      status: 200,
      body: {
        data: onPage.map((certificate) => presentCertificate(certificate, now)),
        links: { first: pageUrl(1), last: pageUrl(lastPage), prev, next },
        meta: {
          current_page: page,
          from: onPage.length > 0 ? start + 1 : null,
          last_page: lastPage,
          links: [
            { url: prev, label: '&laquo; Previous', active: false },
            ...pageButtons(page, lastPage).map((n) =>
              n === undefined
                ? { url: null, label: '...', active: false }
                : { url: pageUrl(n), label: String(n), active: n === page },
            ),
            { url: next, label: 'Next &raquo;', active: false },
          ],
          path,
          per_page: perPage,
          to: onPage.length > 0 ? start + onPage.length : null,
          total,
        },
      },
    };
  };
}

/** Page numbers to show around `current`, with `undefined` where Laravel prints "...". */
export function pageButtons(current: number, last: number): (number | undefined)[] {
  const shown = new Set<number>([1, 2, last - 1, last]);
  for (let n = current - 2; n <= current + 2; n++) shown.add(n);
  const pages = [...shown].filter((n) => n >= 1 && n <= last).sort((a, b) => a - b);
  const buttons: (number | undefined)[] = [];
  pages.forEach((n, index) => {
    const before = pages[index - 1];
    if (before !== undefined && n - before > 1) buttons.push(undefined);
    buttons.push(n);
  });
  return buttons;
}

function findCertificate(state: VecState, request: SandboxRequest): StoredCertificate | undefined {
  const uuid = request.params.uuid;
  return uuid === undefined ? undefined : state.certificates.get(uuid.toLowerCase());
}

export function getCertificate(state: VecState, ctx: SimulatorContext) {
  return (request: SandboxRequest): SandboxResponse => {
    const certificate = findCertificate(state, request);
    if (!certificate) return notFound('Certificate not found');
    return { status: 200, body: { data: presentCertificate(certificate, ctx.now()) } };
  };
}

export function retryCertificate(
  state: VecState,
  ctx: SimulatorContext,
  options: ProcessingOptions,
) {
  return (request: SandboxRequest): SandboxResponse => {
    const certificate = findCertificate(state, request);
    if (!certificate) return notFound('Certificate not found');
    const now = ctx.now();
    const status = statusAt(certificate, now);
    if (status !== 'failed') {
      return fieldErrors({
        status: [`Only failed certificates can be retried; this certificate is ${status}.`],
      });
    }
    const jobMs = ctx.jobMs();
    certificate.queuedAt = now;
    certificate.startsAt = now + jobMs / 2;
    certificate.settlesAt = now + jobMs;
    certificate.outcome = decideOutcome(ctx, options);
    certificate.attempts += 1;
    return {
      status: 200,
      body: {
        message: 'Certificate queued for reprocessing',
        data: presentCertificate(certificate, now),
      },
    };
  };
}
