import { rateLimiterOf } from '@bulk-clients/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebinarImportError } from '../src/index.js';
import { startTiSandbox, type TiSandbox } from './sandbox-fixture.js';

const IMPORT_ROUTE = 'POST /incoming/v2/content/courseGroup/webinar/bulk';
const JOB_ROUTE = 'GET /incoming/v2/jobs/{id}';
const ASSET = 'imports/webinars-big.csv';
const ROWS = 500;

const fast = {
  retry: { retries: 6, minDelayMs: 5, maxDelayMs: 40 },
  poll: { minDelayMs: 5, maxDelayMs: 20, maxWaitMs: 10_000 },
} as const;

let fixture: TiSandbox | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** A sandbox holding a 500-row import file: every 25th row has an empty title. */
async function withImportFile(): Promise<TiSandbox> {
  fixture = await startTiSandbox(0);
  const lines = ['courseGroupSlug,title,startsAt,durationMinutes'];
  for (let row = 0; row < ROWS; row++) {
    const title = row % 25 === 3 ? '' : `Session ${row}`;
    lines.push(`onboarding,${title},2025-03-01T09:00:00Z,${30 + (row % 60)}`);
  }
  fixture.sandbox.state.thoughtIndustries!.assets.set(ASSET, lines.join('\n'));
  return fixture;
}

const invalidCount = Math.ceil((ROWS - 3) / 25);
const importedOf = (fx: TiSandbox) =>
  fx.sandbox.state.thoughtIndustries!.webinarsByAsset.get(ASSET) ?? [];

describe('courseGroupWebinars.bulkImport dry run', () => {
  it('returns the valid and invalid rows with the vendor reasons, and writes nothing', async () => {
    const fx = await withImportFile();
    const jobsBefore = fx.sandbox.state.thoughtIndustries!.jobs.size;
    const result = await fx.ti.courseGroupWebinars.bulkImport(
      { bulkImportAssetPath: ASSET, dryRun: true },
      fast,
    );
    expect(result.dryRun).toBe(true);
    expect(result.validRows).toHaveLength(ROWS - invalidCount);
    expect(result.invalidRows).toHaveLength(invalidCount);
    for (const row of result.invalidRows) expect(row.reason).toBe('title is empty');
    expect(fx.sandbox.state.thoughtIndustries!.jobs.size).toBe(jobsBefore);
    expect(importedOf(fx)).toHaveLength(0);
  });

  it('is sent again after an answer lost to a 502, since it writes nothing', async () => {
    const fx = await withImportFile();
    fx.sandbox.faults.set({ errors: { rate: 0.6, statuses: [502] } }, { route: IMPORT_ROUTE });
    const result = await fx.ti.courseGroupWebinars.bulkImport(
      { bulkImportAssetPath: ASSET, dryRun: true },
      fast,
    );
    expect(fx.sandbox.faults.counters.errors[502]).toBeGreaterThan(0);
    expect(result.validRows).toHaveLength(ROWS - invalidCount);
  });
});

describe('courseGroupWebinars.bulkImport', () => {
  it('waits for the job and imports every valid row once', async () => {
    const fx = await withImportFile();
    const result = await fx.ti.courseGroupWebinars.bulkImport({ bulkImportAssetPath: ASSET }, fast);
    expect(result).toMatchObject({
      dryRun: false,
      state: 'succeeded',
      job: { status: 'complete' },
    });
    expect(result.invalidRows).toHaveLength(invalidCount);
    expect(importedOf(fx).map((webinar) => webinar.title)).toEqual(
      result.validRows.map((row) => row.title),
    );
  });

  it('waits for the window its headers say is spent instead of meeting a 429, and imports once', async () => {
    const fx = await withImportFile();
    fx.sandbox.faults.set({ rateLimit: { requests: 1, perMs: 1000 } }, { route: IMPORT_ROUTE });
    // Spend the window's only request: its answer says so, and the import waits for the reset.
    await fx.ti.api.POST('/incoming/v2/content/courseGroup/webinar/bulk', {
      body: { bulkImportAssetPath: ASSET, dryRun: true },
    });
    const result = await fx.ti.courseGroupWebinars.bulkImport({ bulkImportAssetPath: ASSET }, fast);
    expect(fx.sandbox.faults.counters.rateLimited).toBe(0);
    expect(rateLimiterOf(fx.ti.api)?.stats.waited).toBeGreaterThan(0);
    expect(result.state).toBe('succeeded');
    expect(importedOf(fx)).toHaveLength(ROWS - invalidCount);
  });

  it('survives slow jobs and 5xx while polling', async () => {
    const fx = await withImportFile();
    fx.sandbox.faults.set({ jobs: { durationMs: 150 } }, { route: IMPORT_ROUTE });
    fx.sandbox.faults.set(
      { errors: { rate: 0.4, statuses: [500, 502, 504] } },
      { route: JOB_ROUTE },
    );
    const result = await fx.ti.courseGroupWebinars.bulkImport({ bulkImportAssetPath: ASSET }, fast);
    const { errors } = fx.sandbox.faults.counters;
    expect(errors[500] + errors[502] + errors[504]).toBeGreaterThan(0);
    expect(result.state).toBe('succeeded');
    expect(result.polls).toBeGreaterThan(1);
    expect(importedOf(fx)).toHaveLength(ROWS - invalidCount);
  });

  it('reports a failed job with its errorMessage and imports nothing', async () => {
    const fx = await withImportFile();
    fx.sandbox.faults.set({ jobs: { failureRate: 1 } }, { route: IMPORT_ROUTE });
    const result = await fx.ti.courseGroupWebinars.bulkImport({ bulkImportAssetPath: ASSET }, fast);
    expect(result.state).toBe('failed');
    expect(result.job?.errorMessage).toMatch(/no changes were written/);
    expect(importedOf(fx)).toHaveLength(0);
  });

  it('reports timeout for a job still running after maxWaitMs', async () => {
    const fx = await withImportFile();
    fx.sandbox.faults.set({ jobs: { durationMs: 60_000 } }, { route: IMPORT_ROUTE });
    const result = await fx.ti.courseGroupWebinars.bulkImport(
      { bulkImportAssetPath: ASSET },
      { ...fast, poll: { minDelayMs: 5, maxDelayMs: 10, maxWaitMs: 50 } },
    );
    expect(result.state).toBe('timeout');
    expect(['pending', 'running']).toContain(result.job?.status);
  });

  it('reports aborted when the signal ends the wait', async () => {
    const fx = await withImportFile();
    fx.sandbox.faults.set({ jobs: { durationMs: 60_000 } }, { route: IMPORT_ROUTE });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await fx.ti.courseGroupWebinars.bulkImport(
      { bulkImportAssetPath: ASSET },
      { ...fast, signal: controller.signal },
    );
    expect(result.state).toBe('aborted');
  });
});

describe('courseGroupWebinars.bulkImport request failures', () => {
  async function rejection(promise: Promise<unknown>): Promise<WebinarImportError> {
    const error = await promise.then(
      () => expect.unreachable('the import should have been refused'),
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(WebinarImportError);
    return error as WebinarImportError;
  }

  it('does not send a real import again after its answer was lost', async () => {
    const fx = await withImportFile();
    fx.sandbox.faults.set({ resetAfterHandler: 1 }, { route: IMPORT_ROUTE });
    const error = await rejection(
      fx.ti.courseGroupWebinars.bulkImport({ bulkImportAssetPath: ASSET }, fast),
    );
    expect(error.outcome).toBe('unknown');
    expect(error.message).toMatch(/check the instance before importing again/);
    expect(fx.sandbox.faults.counters.resetsAfterHandler).toBe(1);
    // The import the lost request started runs once; nothing was imported twice.
    fx.sandbox.faults.reset();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(importedOf(fx)).toHaveLength(ROWS - invalidCount);
  });

  it('fails with the vendor reason for a file that is not there', async () => {
    fixture = await startTiSandbox(0);
    const error = await rejection(
      fixture.ti.courseGroupWebinars.bulkImport({ bulkImportAssetPath: 'imports/none.csv' }, fast),
    );
    expect(error).toMatchObject({ outcome: 'failed', code: 'asset_not_found', status: 422 });
    expect(error.message).toContain('No asset is stored at imports/none.csv');
  });

  it('sends nothing when the signal is already aborted', async () => {
    const fx = await withImportFile();
    const error = await rejection(
      fx.ti.courseGroupWebinars.bulkImport(
        { bulkImportAssetPath: ASSET },
        { ...fast, signal: AbortSignal.abort() },
      ),
    );
    expect(error).toMatchObject({ outcome: 'skipped', code: 'aborted' });
    expect(fx.sandbox.state.thoughtIndustries!.jobs.size).toBe(0);
  });

  it.each([
    { name: 'no request', request: undefined, message: /`request`/ },
    {
      name: 'an empty asset path',
      request: { bulkImportAssetPath: ' ' },
      message: /bulkImportAssetPath/,
    },
    {
      name: 'a string dryRun',
      request: { bulkImportAssetPath: 'a.csv', dryRun: 'yes' },
      message: /`request.dryRun`/,
    },
  ])('throws a TypeError for $name', async ({ request, message }) => {
    fixture = await startTiSandbox(0);
    await expect(fixture.ti.courseGroupWebinars.bulkImport(request as never)).rejects.toThrow(
      message,
    );
  });
});
