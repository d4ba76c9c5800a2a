import type {
  ErrorDetails,
  Route,
  SandboxRequest,
  SandboxResponse,
  SimulatorContext,
  SimulatorOptions,
  VendorRateLimitPolicy,
  VendorSimulator,
} from '../types.js';
import { xRateLimitHeaders } from '../x-rate-limit-headers.js';
import { createJobQueue, viewJob } from './background-jobs.js';
import { bulkCreateTemplates, bulkUpdateTemplates } from './certificate-templates.js';
import { errorResponse } from './errors.js';
import type { HandlerDeps } from './handler-deps.js';
import { SEEDED_ASSETS, seedCourseGroups, seedTemplates } from './seed.js';
import type { ThoughtIndustriesState, ThoughtIndustriesStore } from './state.js';
import { bulkImportWebinars } from './webinar-import.js';

export { jobStatusAt } from './background-jobs.js';
export { COURSE_GROUP_SLUGS, SEEDED_ASSETS, TEMPLATE_COUNT } from './seed.js';
export type {
  CertificateTemplate,
  CourseGroup,
  SimulatedJob,
  ThoughtIndustriesState,
  Webinar,
} from './state.js';

/**
 * Documented: 120 requests a minute with a burst of 20 (600 with a burst of 100 on enterprise),
 * so a token bucket whose size is a sixth of the per-minute budget; every response carries
 * `X-RateLimit-*` and a 429 adds `Retry-After`.
 */
export const THOUGHT_INDUSTRIES_RATE_LIMIT_POLICY: VendorRateLimitPolicy = {
  mode: 'bucket',
  burst: (requests) => Math.max(1, Math.round(requests / 6)),
  retryAfter: true,
  everyResponse: true,
};

/**
 * Simulates a Thought Industries instance: certificate template bulk create/update, course
 * group webinar import (with dry run) and the background jobs both start.
 */
export function createThoughtIndustriesSimulator(
  ctx: SimulatorContext,
  options: SimulatorOptions,
): VendorSimulator<ThoughtIndustriesState> {
  if (!options || typeof options.token !== 'string' || options.token === '') {
    throw new TypeError('Expected `options.token` to be a non-empty string');
  }
  const store: ThoughtIndustriesStore = {
    templates: new Map(seedTemplates(ctx).map((template) => [template.id, template])),
    writeCounts: new Map(),
    jobs: new Map(),
    courseGroups: new Map(seedCourseGroups(ctx).map((group) => [group.slug, group])),
    webinarsByAsset: new Map(),
    assets: new Map(Object.entries(SEEDED_ASSETS)),
  };
  const jobs = createJobQueue(ctx, store.jobs);

  // A counter, not ctx.uuid(): error responses must not shift the seeded id stream.
  let requestCount = 0;
  const nextRequestId = () => `ti-req-${String(++requestCount).padStart(6, '0')}`;

  function error(status: number, message: string, details?: ErrorDetails) {
    return errorResponse({
      status,
      message,
      details: details?.validation,
      retryAfterMs: details?.retryAfterMs,
      requestId: nextRequestId(),
    });
  }

  const deps: HandlerDeps = {
    ctx,
    store,
    jobs,
    invalidBody: (message) => error(400, message),
    unprocessable: (code, message) =>
      errorResponse({ status: 422, error: code, message, requestId: nextRequestId() }),
  };

  // Every read settles due jobs first, so writes appear once their job has completed.
  const state: ThoughtIndustriesState = {
    get templates() {
      jobs.settle();
      return store.templates;
    },
    get writeCounts() {
      jobs.settle();
      return store.writeCounts;
    },
    get jobs() {
      jobs.settle();
      return store.jobs;
    },
    get courseGroups() {
      return store.courseGroups;
    },
    get webinarsByAsset() {
      jobs.settle();
      return store.webinarsByAsset;
    },
    get assets() {
      return store.assets;
    },
    settle: () => jobs.settle(),
  };

  const settled =
    (handle: (request: SandboxRequest) => SandboxResponse) =>
    (request: SandboxRequest): SandboxResponse => {
      jobs.settle();
      return handle(request);
    };

  const routes: Route[] = [
    {
      method: 'POST',
      path: '/incoming/v2/content/certificate-templates/bulk/update',
      handle: settled((request) => bulkUpdateTemplates(deps, request)),
    },
    {
      method: 'POST',
      path: '/incoming/v2/content/certificate-templates/bulk',
      handle: settled((request) => bulkCreateTemplates(deps, request)),
    },
    {
      method: 'POST',
      path: '/incoming/v2/content/courseGroup/webinar/bulk',
      handle: settled((request) => bulkImportWebinars(deps, request)),
    },
    {
      method: 'GET',
      path: '/incoming/v2/jobs/{id}',
      handle: settled((request) => {
        const id = request.params.id ?? '';
        const job = store.jobs.get(id);
        if (!job) return error(404, `Background job ${id} not found`);
        return { status: 200, body: { data: { APIBackgroundJob: viewJob(job, ctx.now()) } } };
      }),
    },
  ];

  return {
    name: 'thought-industries',
    prefixes: ['/incoming/v2/'],
    mediaType: 'application/json',
    routes,
    state,
    authorize(request) {
      // The key itself never appears in the answer: only whether one was sent.
      if (request.token === undefined || request.token === '') {
        return error(401, 'A valid API key is required: send Authorization: Bearer <key>');
      }
      if (request.token !== options.token)
        return error(401, 'The API key is not valid for this instance');
      return undefined;
    },
    error,
    invalid(problems) {
      const [first] = problems;
      const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
      const message = first
        ? `${first.pointer || 'body'} ${first.message}${more}`
        : 'The request does not match the API contract';
      return error(400, message, { validation: problems });
    },
    rateLimitHeaders: xRateLimitHeaders,
    rateLimitPolicy: THOUGHT_INDUSTRIES_RATE_LIMIT_POLICY,
  };
}
