import type { SandboxRequest, SandboxResponse } from '../types.js';
import { viewJob } from './background-jobs.js';
import { parseCsv } from './csv.js';
import type { HandlerDeps } from './handler-deps.js';
import type { ThoughtIndustriesStore, Webinar } from './state.js';

/** Columns an import file must have. */
export const WEBINAR_COLUMNS = ['courseGroupSlug', 'title', 'startsAt', 'durationMinutes'] as const;

const MAX_DURATION_MINUTES = 24 * 60;
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

type Row = Record<string, string>;

/** Why a row cannot be imported, or `undefined` when it can. */
export function webinarRowProblem(row: Row, store: ThoughtIndustriesStore): string | undefined {
  const problems: string[] = [];
  const slug = row.courseGroupSlug?.trim() ?? '';
  if (!store.courseGroups.has(slug)) problems.push(`unknown course group "${slug}"`);
  if ((row.title ?? '').trim() === '') problems.push('title is empty');
  const startsAt = row.startsAt?.trim() ?? '';
  if (!DATE_TIME_PATTERN.test(startsAt) || Number.isNaN(Date.parse(startsAt))) {
    problems.push('startsAt must be an ISO 8601 date-time');
  }
  const duration = row.durationMinutes?.trim() ?? '';
  if (!/^\d+$/.test(duration) || Number(duration) < 1 || Number(duration) > MAX_DURATION_MINUTES) {
    problems.push(`durationMinutes must be a whole number from 1 to ${MAX_DURATION_MINUTES}`);
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/**
 * `POST .../courseGroup/webinar/bulk`: reads the stored file and checks every row. A dry run
 * reports the rows and stops there (no job); a real import starts a job that creates a
 * webinar per valid row when it completes.
 */
export function bulkImportWebinars(deps: HandlerDeps, request: SandboxRequest): SandboxResponse {
  const { ctx, store, jobs } = deps;
  const body = request.body as Record<string, unknown> | undefined;
  const path = body?.bulkImportAssetPath;
  if (typeof path !== 'string' || path === '') {
    return deps.invalidBody('bulkImportAssetPath must be a non-empty string');
  }
  const dryRun = body?.dryRun === true;
  const text = store.assets.get(path);
  if (text === undefined)
    return deps.unprocessable('asset_not_found', `No asset is stored at ${path}`);
  const { columns, rows } = parseCsv(text);
  const missing = WEBINAR_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    return deps.unprocessable(
      'invalid_asset',
      `The file at ${path} lacks the columns: ${missing.join(', ')}`,
    );
  }
  const validRows: Row[] = [];
  const invalidRows: (Row & { reason: string })[] = [];
  for (const row of rows) {
    const reason = webinarRowProblem(row, store);
    if (reason) invalidRows.push({ ...row, reason });
    else validRows.push(row);
  }
  const result: Record<string, unknown> = { dryRun, validRows, invalidRows };
  if (!dryRun) {
    // Ids are drawn now, not when the job settles, so they do not depend on when it is polled.
    const webinars: Webinar[] = validRows.map((row) => ({
      id: ctx.uuid(),
      courseGroupId: (store.courseGroups.get((row.courseGroupSlug ?? '').trim()) as { id: string })
        .id,
      title: (row.title ?? '').trim(),
      startsAt: new Date(Date.parse((row.startsAt ?? '').trim())).toISOString(),
      durationMinutes: Number(row.durationMinutes),
      assetPath: path,
    }));
    const job = jobs.start('courseGroupWebinarBulkImport', `Import webinars from ${path}`, () => {
      store.webinarsByAsset.set(path, [...(store.webinarsByAsset.get(path) ?? []), ...webinars]);
    });
    result.backgroundJob = viewJob(job, ctx.now());
  }
  return { status: 200, body: { data: { APIBulkCourseGroupWebinarImport: result } } };
}
