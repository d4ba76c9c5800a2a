/**
 * The fault matrix: every vendor bulk operation against every fault, a few thousand records per
 * cell (FAULT_MATRIX_SCALE scales them). Each cell proves the promise to users on the sandbox's
 * final state: every record in exactly one known state, nothing acknowledged written twice,
 * nothing written that is reported failed or skipped, every failure with the vendor's reason.
 */
import { type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { matrixFaults } from './matrix/faults.js';
import { hubspotBatchUpdate } from './matrix/hubspot-batch-update.js';
import { mpdxBulkCreate } from './matrix/mpdx-bulk-create.js';
import { thoughtIndustriesBulkUpdate } from './matrix/thought-industries-bulk-update.js';
import type { MatrixFault, MatrixOperation } from './matrix/types.js';
import { vecBulkCreate } from './matrix/vec-bulk-create.js';

const SCALE = Number(process.env.FAULT_MATRIX_SCALE ?? 1);
const operations: MatrixOperation[] = [
  hubspotBatchUpdate,
  thoughtIndustriesBulkUpdate,
  vecBulkCreate,
  mpdxBulkCreate,
];

const rows: Record<string, string | number>[] = [];
let sandbox: Sandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

afterAll(() => {
  console.log(`fault matrix, scale ${SCALE}:`);
  console.table(rows);
});

describe.each(operations)('$name', (operation) => {
  const faults = matrixFaults.filter((fault) => !fault.jobsOnly || operation.hasJobs);
  it.each(faults)(
    'keeps every record in one known state under $name',
    async (fault: MatrixFault) => {
      const count = Math.max(50, Math.round(operation.records * SCALE));
      sandbox = await startSandbox({ seed: 7, jobMs: 20 });
      await operation.prepare(sandbox, count);
      sandbox.faults.set(fault.settings(operation), { vendor: operation.vendor });
      const started = performance.now();
      const figures = await operation.run(sandbox, count, {
        timeoutMs: fault.timeoutMs ?? 5_000,
        lostAnswers: fault.lostAnswers,
      });
      const injected = fault.injected(sandbox.faults.counters);
      rows.push({
        operation: operation.name,
        fault: fault.name,
        ...figures,
        injected: Number.isNaN(injected) ? 'all jobs' : injected,
        seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      });
      // The fault was really there (the 'none' row proves the checks pass without one).
      if (fault.name !== 'none' && !Number.isNaN(injected)) expect(injected).toBeGreaterThan(0);
    },
  );
});
