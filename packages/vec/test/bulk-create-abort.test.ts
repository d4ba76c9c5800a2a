import type { Sandbox } from '@bulk-clients/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BulkCertificateEntry } from '../src/index.js';
import { clientOf, entryOf, expectAccounted, fast, startVault } from './bulk-create-helpers.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startVault();
});

afterAll(async () => {
  await sandbox.close();
});

it('reports the entries never attempted as skipped when the signal aborts mid-run', async () => {
  const controller = new AbortController();
  // The input is read lazily: the abort comes while the third batch is being filled (the
  // generator runs on to the next yield, so entry 46 is read too).
  function* input(): Generator<BulkCertificateEntry> {
    for (let n = 0; n < 1000; n++) {
      yield entryOf(n);
      if (n === 45) controller.abort();
    }
  }
  const report = await clientOf(sandbox).certificates.bulkCreate(input(), {
    ...fast,
    batchSize: 20,
    concurrency: 1,
    signal: controller.signal,
  });
  expectAccounted(report, sandbox, 47);
  expect(report).toMatchObject({ aborted: true, succeeded: 40, skipped: 7, unknown: 0, failed: 0 });
  const skipped = report.outcomes!.filter((outcome) => outcome.status === 'skipped');
  expect(skipped.map((outcome) => outcome.index)).toEqual([40, 41, 42, 43, 44, 45, 46]);
  for (const outcome of skipped) {
    expect(outcome).toMatchObject({ attempts: 0, error: { code: 'aborted' } });
  }
  expect(sandbox.state.vec!.certificates.size - 24).toBe(40);
});
