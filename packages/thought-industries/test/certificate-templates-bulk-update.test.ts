import type { FaultSettings } from '@bulk-clients/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  CertificateTemplatesBulkUpdateOptions,
  CertificateTemplatesBulkUpdateReport,
  UpdateCertificateTemplateInput,
} from '../src/index.js';
import { fastOptions, startTiSandbox, type TiSandbox } from './sandbox-fixture.js';

const UPDATE_ROUTE = 'POST /incoming/v2/content/certificate-templates/bulk/update';
const JOB_ROUTE = 'GET /incoming/v2/jobs/{id}';
const JOB_FAILURE_MESSAGE =
  'The background worker stopped before finishing the batch; no changes were written';

let fixture: TiSandbox | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

interface Plan {
  records: UpdateCertificateTemplateInput[];
  /** Records the vendor rejects in `errors[]`, by position, with its reason. */
  vendorRejects: Map<number, string>;
  /** Records `validate` stops before sending. */
  invalid: Set<number>;
}

/**
 * `count` updates of distinct templates: every 50th has an empty title and every 100th an id the
 * instance does not know (the vendor rejects both), and two break the contract.
 */
function planFor(fx: TiSandbox, count: number): Plan {
  const records: UpdateCertificateTemplateInput[] = [];
  const vendorRejects = new Map<number, string>();
  for (let at = 0; at < count; at++) {
    const id = fx.templateIds[at]!;
    if (at % 50 === 7) {
      records.push({ id, title: '' });
      vendorRejects.set(at, 'title must not be empty');
    } else if (at % 100 === 23) {
      records.push({ id: `00000000-0000-4000-8000-${String(at).padStart(12, '0')}`, title: 'x' });
      vendorRejects.set(at, 'Certificate template not found');
    } else {
      records.push({ id, title: `Renamed ${at}`, expirationDays: at % 400 });
    }
  }
  const invalid = new Set([records.length, records.length + 1]);
  records.push({ id: 'not-a-uuid', title: 'No id' });
  records.push({ id: fx.templateIds[count]!, expirationDays: '30' as unknown as number });
  return { records, vendorRejects, invalid };
}

interface Check {
  /** Each succeeded record written exactly once (no lost answers after a write). */
  exactlyOnce: boolean;
}

/**
 * The promises of the engine, read off the report and the sandbox's final state: every record
 * counted once, each succeeded record stored with its new title and written once (or at least
 * once when answers were lost after the write), nothing else written, and every failure naming
 * the vendor's reason.
 */
function checkRun(
  fx: TiSandbox,
  plan: Plan,
  report: CertificateTemplatesBulkUpdateReport,
  before: Map<string, number>,
  { exactlyOnce }: Check,
) {
  const { succeeded, failed, unknown, skipped, total } = report;
  expect(succeeded + failed + unknown + skipped).toBe(total);
  expect(report.outcomes).toHaveLength(total);
  const state = fx.sandbox.state.thoughtIndustries!;
  const after = fx.writesNow();
  const writesOf = (id: string) => (after.get(id) ?? 0) - (before.get(id) ?? 0);
  const succeededIds = new Set<string>();
  const unknownIds = new Set<string>();
  for (const outcome of report.outcomes ?? []) {
    const record = plan.records[outcome.index]!;
    expect(outcome.item).toBe(record);
    if (outcome.status === 'succeeded') {
      succeededIds.add(record.id);
      expect(outcome.value?.id).toBe(record.id);
      if (exactlyOnce) expect(writesOf(record.id)).toBe(1);
      else expect(writesOf(record.id)).toBeGreaterThanOrEqual(1);
      expect(state.templates.get(record.id)?.title).toBe(record.title);
    } else if (outcome.status === 'unknown') {
      // It may or may not have been applied; it was not applied twice.
      unknownIds.add(record.id);
      if (exactlyOnce) expect(writesOf(record.id)).toBeLessThanOrEqual(1);
    } else if (outcome.status === 'failed') {
      const vendorReason = plan.vendorRejects.get(outcome.index);
      if (plan.invalid.has(outcome.index)) {
        expect(outcome.error).toMatchObject({ code: 'invalid_field', field: expect.any(String) });
        expect(outcome.error?.message).toContain(`Record ${outcome.index}`);
      } else if (vendorReason && outcome.error?.code !== 'job_failed') {
        expect(outcome.error?.message).toContain(`(record ${outcome.index}): ${vendorReason}`);
        expect(outcome.error?.vendor).toMatchObject({ error: vendorReason });
      } else {
        expect(outcome.error).toMatchObject({ code: 'job_failed' });
        expect(outcome.error?.message).toContain(JOB_FAILURE_MESSAGE);
      }
    }
  }
  // Nothing written beyond the succeeded records (and those whose outcome is unknown).
  for (const [id, count] of after) {
    if (!succeededIds.has(id) && !unknownIds.has(id))
      expect(count - (before.get(id) ?? 0), id).toBe(0);
  }
}

function expectedFailures(plan: Plan) {
  return plan.vendorRejects.size + plan.invalid.size;
}

async function runWith(
  fx: TiSandbox,
  plan: Plan,
  options: CertificateTemplatesBulkUpdateOptions = {},
) {
  const before = fx.writesNow();
  const report = await fx.ti.certificateTemplates.bulkUpdate(plan.records, {
    ...fastOptions,
    concurrency: 4,
    collect: true,
    ...options,
  });
  return { report, before };
}

const scenarios: {
  name: string;
  faults: [FaultSettings, { vendor?: string; route?: string }?][];
  records: number;
  exactlyOnce: boolean;
  injected: (counters: TiSandbox['sandbox']['faults']['counters']) => number;
  /** Smaller batches where a fault must surely hit the update requests themselves. */
  options?: CertificateTemplatesBulkUpdateOptions;
  /** What the report says about the faults it went through. */
  reported?: (report: CertificateTemplatesBulkUpdateReport) => void;
}[] = [
  {
    name: 'no faults',
    faults: [],
    records: 600,
    exactlyOnce: true,
    injected: () => 1,
  },
  {
    name: '429 bursts with Retry-After and rate-limit headers',
    faults: [[{ rateLimit: { requests: 4, perMs: 400 } }, { route: UPDATE_ROUTE }]],
    records: 1000,
    exactlyOnce: true,
    injected: (counters) => counters.rateLimited,
    reported: (report) => {
      expect(report.throttled).toBeGreaterThan(0);
      expect(report.throttledMs).toBeGreaterThanOrEqual(1000);
    },
  },
  {
    name: '20% 500/502/504 on every route',
    faults: [
      [{ errors: { rate: 0.2, statuses: [500, 502, 504] } }, { vendor: 'thought-industries' }],
    ],
    records: 1000,
    exactlyOnce: true,
    injected: (counters) => counters.errors[500] + counters.errors[502] + counters.errors[504],
    options: { batchSize: 25 },
    reported: (report) => expect(report.retries).toBeGreaterThan(0),
  },
  {
    name: '10% connection resets before the body is read',
    faults: [[{ resetBeforeBody: 0.1 }, { vendor: 'thought-industries' }]],
    records: 1000,
    exactlyOnce: true,
    injected: (counters) => counters.resetsBeforeBody,
  },
  {
    name: '25% connection resets after the update was applied',
    faults: [[{ resetAfterHandler: 0.25 }, { route: UPDATE_ROUTE }]],
    records: 1000,
    options: { batchSize: 25 },
    exactlyOnce: false,
    injected: (counters) => counters.resetsAfterHandler,
  },
  {
    name: '10% truncated JSON answers',
    faults: [[{ malformedBody: { rate: 0.1, mode: 'cut' } }, { vendor: 'thought-industries' }]],
    records: 1000,
    exactlyOnce: false,
    injected: (counters) => counters.malformedBodies,
  },
  {
    name: '10% answers cut off mid-body',
    faults: [[{ malformedBody: { rate: 0.1, mode: 'abort' } }, { vendor: 'thought-industries' }]],
    records: 1000,
    exactlyOnce: false,
    injected: (counters) => counters.malformedBodies,
  },
  {
    name: 'latency with jitter',
    faults: [[{ latency: { fixedMs: 2, jitterMs: 15 } }]],
    records: 800,
    exactlyOnce: true,
    injected: (counters) => counters.delayed,
  },
  {
    name: 'slow jobs with 503 while polling',
    faults: [
      [{ jobs: { durationMs: 150 } }, { route: UPDATE_ROUTE }],
      [{ errors: { rate: 0.3, statuses: [502, 502, 502, 503] } }, { route: JOB_ROUTE }],
    ],
    records: 500,
    exactlyOnce: true,
    injected: (counters) => counters.errors[503] + counters.errors[502],
  },
];

describe.each(scenarios)('bulkUpdate against the sandbox with $name', (scenario) => {
  it('accounts for every record, writes each succeeded one as promised and explains failures', async () => {
    fixture = await startTiSandbox(scenario.records + 1);
    const plan = planFor(fixture, scenario.records);
    for (const [settings, scope] of scenario.faults) fixture.sandbox.faults.set(settings, scope);
    const { report, before } = await runWith(fixture, plan, scenario.options);

    expect(scenario.injected(fixture.sandbox.faults.counters)).toBeGreaterThan(0);
    expect(report.total).toBe(plan.records.length);
    expect(report.unknown).toBe(0);
    expect(report.failed).toBe(expectedFailures(plan));
    scenario.reported?.(report);
    checkRun(fixture, plan, report, before, { exactlyOnce: scenario.exactlyOnce });
  });
});

describe('bulkUpdate with failing and overlong background jobs', () => {
  it('fails the records of a failed job with its errorMessage and writes none of them', async () => {
    fixture = await startTiSandbox(801);
    const plan = planFor(fixture, 800);
    fixture.sandbox.faults.set({ jobs: { failureRate: 0.3 } }, { route: UPDATE_ROUTE });
    const { report, before } = await runWith(fixture, plan, { batchSize: 50 });

    expect(fixture.sandbox.faults.counters.jobsFailed).toBeGreaterThan(0);
    const jobFailures = report.outcomes?.filter((outcome) => outcome.error?.code === 'job_failed');
    expect(jobFailures?.length).toBeGreaterThan(0);
    expect(report.unknown).toBe(0);
    checkRun(fixture, plan, report, before, { exactlyOnce: true });
  });

  it('reports the records of a job still running after maxWaitMs as unknown, those rejected as failed, without a second job', async () => {
    fixture = await startTiSandbox(301);
    const plan = planFor(fixture, 300);
    fixture.sandbox.faults.set({ jobs: { durationMs: 60_000 } }, { route: UPDATE_ROUTE });
    const state = fixture.sandbox.state.thoughtIndustries!;
    const jobsBefore = state.jobs.size;
    const { report, before } = await runWith(fixture, plan, {
      poll: { minDelayMs: 5, maxDelayMs: 10, maxWaitMs: 60 },
      retry: { retries: 2, minDelayMs: 5, maxDelayMs: 10 },
    });

    // The vendor rejected some records in its answer: they fail whatever the job does.
    expect(report.failed).toBe(plan.invalid.size + plan.vendorRejects.size);
    expect(report.unknown).toBe(300 - plan.vendorRejects.size);
    const unknown = report.outcomes?.filter((outcome) => outcome.status === 'unknown') ?? [];
    for (const outcome of unknown) {
      expect(outcome.error?.code).toBe('job_timeout');
      const waited = /still (?:pending|running) after waiting (\d+) ms/.exec(
        outcome.error?.message ?? '',
      );
      expect(Number(waited?.[1])).toBeGreaterThanOrEqual(60);
    }
    // One update, one job per batch: the batch is not sent again.
    expect(state.jobs.size - jobsBefore).toBe(3);
    expect(report.requests).toBe(3);
    checkRun(fixture, plan, report, before, { exactlyOnce: true });
  });
});

describe('bulkUpdate aborted mid-run', () => {
  it('reports records never applied as skipped, and writes none of them', async () => {
    fixture = await startTiSandbox(1001);
    const plan = planFor(fixture, 1000);
    const controller = new AbortController();
    const fx = fixture;
    const { report, before } = await runWith(fixture, plan, {
      concurrency: 2,
      onProgress(progress) {
        // Once two batches are in, every update is refused with a 503; the abort then lands
        // while the refused batches wait to be retried.
        if (progress.done >= 200 && !controller.signal.aborted) {
          fx.sandbox.faults.set({ errors: { rate: 1, statuses: [503] } }, { route: UPDATE_ROUTE });
          setTimeout(() => controller.abort(), 100);
        }
      },
      signal: controller.signal,
    });

    expect(report.aborted).toBe(true);
    expect(report.skipped).toBeGreaterThan(0);
    expect(report.total).toBeLessThan(plan.records.length);
    const after = fx.writesNow();
    for (const outcome of report.outcomes ?? []) {
      if (outcome.status !== 'skipped') continue;
      const id = plan.records[outcome.index]!.id;
      expect((after.get(id) ?? 0) - (before.get(id) ?? 0)).toBe(0);
    }
    for (const outcome of report.outcomes ?? []) {
      if (outcome.status === 'skipped') expect(outcome.error?.code).toBe('aborted');
    }
    checkRun(fixture, plan, report, before, { exactlyOnce: true });
  });
});
