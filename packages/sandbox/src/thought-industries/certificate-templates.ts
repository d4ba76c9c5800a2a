import { isUuid } from '@bulk-clients/core';
import type { SandboxRequest, SandboxResponse } from '../types.js';
import { type BackgroundJobView, viewJob } from './background-jobs.js';
import type { HandlerDeps } from './handler-deps.js';
import type { CertificateTemplate, ThoughtIndustriesStore } from './state.js';

/** Stands in for `resourceId` when a rejected record names no template (the spec allows it). */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

interface RecordError {
  resourceId: string;
  title: string;
  error: string;
  record: string;
}

interface BulkResult {
  createdCount: number;
  updatedCount: number;
  createdIds: string[];
  errors: RecordError[];
  warnings: string[];
  backgroundJob?: BackgroundJobView;
}

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The business checks a template's editable fields must pass; `undefined` when they do. */
function fieldProblem(entry: Fields, titleRequired: boolean): string | undefined {
  if ('title' in entry || titleRequired) {
    if (typeof entry.title !== 'string' || entry.title.trim() === '')
      return 'title must not be empty';
  }
  if ('expirationDays' in entry) {
    const days = entry.expirationDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0) {
      return 'expirationDays must be a whole number of days, 0 or more';
    }
  }
  for (const field of ['description', 'status', 'body'] as const) {
    if (field in entry && typeof entry[field] !== 'string') return `${field} must be a string`;
  }
  return undefined;
}

function templatesOf(request: SandboxRequest): unknown[] | undefined {
  const body = request.body;
  return isRecord(body) && Array.isArray(body.templates) ? body.templates : undefined;
}

function envelope(key: string, result: BulkResult): SandboxResponse {
  return { status: 200, body: { data: { [key]: result } } };
}

function countWrite(store: ThoughtIndustriesStore, id: string): void {
  store.writeCounts.set(id, (store.writeCounts.get(id) ?? 0) + 1);
}

/**
 * `POST .../certificate-templates/bulk/update`: checks every record now, answers with the
 * counts and per-record errors, and leaves the writes to a background job.
 */
export function bulkUpdateTemplates(deps: HandlerDeps, request: SandboxRequest): SandboxResponse {
  const { ctx, store, jobs } = deps;
  const entries = templatesOf(request);
  if (!entries) return deps.invalidBody('templates must be an array');
  const accepted: Fields[] = [];
  const errors: RecordError[] = [];
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const record = JSON.stringify(entry);
    if (!isRecord(entry) || !isUuid(entry.id)) {
      errors.push({ resourceId: NIL_UUID, title: '', error: 'id must be a template uuid', record });
      continue;
    }
    const existing = store.templates.get(entry.id);
    if (!existing) {
      errors.push({
        resourceId: entry.id,
        title: '',
        error: 'Certificate template not found',
        record,
      });
      continue;
    }
    const problem = fieldProblem(entry, false);
    if (problem) {
      errors.push({ resourceId: entry.id, title: existing.title, error: problem, record });
      continue;
    }
    seen.set(entry.id, (seen.get(entry.id) ?? 0) + 1);
    accepted.push(entry);
  }
  const warnings: string[] = [];
  if (entries.length === 0) warnings.push('No templates were given; nothing was changed');
  for (const [id, times] of seen) {
    if (times > 1) warnings.push(`Template ${id} appears ${times} times; the last change wins`);
  }
  const result: BulkResult = {
    createdCount: 0,
    updatedCount: accepted.length,
    createdIds: [],
    errors,
    warnings,
  };
  if (accepted.length > 0) {
    const job = jobs.start(
      'certificateTemplateBulkUpdate',
      `Update ${accepted.length} certificate template${accepted.length === 1 ? '' : 's'}`,
      () => {
        for (const changes of accepted) {
          const current = store.templates.get(changes.id as string);
          if (!current) continue;
          store.templates.set(current.id, { ...current, ...changes, id: current.id });
          countWrite(store, current.id);
        }
      },
    );
    result.backgroundJob = viewJob(job, ctx.now());
  }
  return envelope('APIBulkUpdateCertificateTemplates', result);
}

/**
 * `POST .../certificate-templates/bulk`: assigns ids at once and creates the templates when
 * the background job completes.
 */
export function bulkCreateTemplates(deps: HandlerDeps, request: SandboxRequest): SandboxResponse {
  const { ctx, store, jobs } = deps;
  const entries = templatesOf(request);
  if (!entries) return deps.invalidBody('templates must be an array');
  const created: CertificateTemplate[] = [];
  const errors: RecordError[] = [];
  for (const entry of entries) {
    const record = JSON.stringify(entry);
    if (!isRecord(entry)) {
      errors.push({
        resourceId: NIL_UUID,
        title: '',
        error: 'each template must be an object',
        record,
      });
      continue;
    }
    const problem = fieldProblem(entry, true);
    if (problem) {
      const title = typeof entry.title === 'string' ? entry.title : '';
      errors.push({ resourceId: NIL_UUID, title, error: problem, record });
      continue;
    }
    created.push({
      description: '',
      status: 'draft',
      body: '',
      expirationDays: 0,
      ...entry,
      title: entry.title as string,
      id: ctx.uuid(),
    });
  }
  const warnings = entries.length === 0 ? ['No templates were given; nothing was created'] : [];
  const result: BulkResult = {
    createdCount: created.length,
    updatedCount: 0,
    createdIds: created.map((template) => template.id),
    errors,
    warnings,
  };
  if (created.length > 0) {
    const job = jobs.start(
      'certificateTemplateBulkCreate',
      `Create ${created.length} certificate template${created.length === 1 ? '' : 's'}`,
      () => {
        for (const template of created) {
          store.templates.set(template.id, template);
          countWrite(store, template.id);
        }
      },
    );
    result.backgroundJob = viewJob(job, ctx.now());
  }
  return envelope('APIBulkCreateCertificateTemplates', result);
}
