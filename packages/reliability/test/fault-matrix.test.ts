/**
 * The fault matrix: every vendor bulk operation against every fault, a few thousand records per
 * cell (FAULT_MATRIX_SCALE scales them). Each cell proves the promise to users on the sandbox's
 * final state: every record in exactly one known state, nothing acknowledged written twice,
 * nothing written that is reported failed or skipped, every failure with the vendor's reason.
 */
import type { FetchLike } from '@bulk-clients/core';
import { createNodeFetch, type NodeFetch } from '@bulk-clients/core/node-fetch';
import { type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { matrixFaults } from './matrix/faults.js';
import { hubspotBatchUpdate } from './matrix/hubspot-batch-update.js';
import {
  hubspotObjectCreate,
  hubspotObjectCreateRefusedWhole,
} from './matrix/hubspot-object-create.js';
import { mpdxBulkCreate } from './matrix/mpdx-bulk-create.js';
import { thoughtIndustriesBulkUpdate } from './matrix/thought-industries-bulk-update.js';
import type { MatrixFault, MatrixOperation } from './matrix/types.js';
import { vecBulkCreate } from './matrix/vec-bulk-create.js';

const SCALE = Number(process.env.FAULT_MATRIX_SCALE ?? 1);
const operations: MatrixOperation[] = [
  hubspotBatchUpdate,
  hubspotObjectCreate,
  hubspotObjectCreateRefusedWhole,
  thoughtIndustriesBulkUpdate,
  vecBulkCreate,
  mpdxBulkCreate,
];

/**
 * The library's default transport (the global `fetch`) at full size, and the `node:http` one of
 * `@bulk-clients/core/node-fetch` (what the CLI sends with) at a quarter: its error shapes must
 * classify exactly as `fetch`'s do under every fault.
 */
const transports: { name: string; scale: number; create(): NodeFetch | undefined }[] = [
  { name: 'fetch', scale: 1, create: () => undefined },
  { name: 'node:http', scale: 0.25, create: () => createNodeFetch() },
];

const rows: Record<string, string | number>[] = [];
let sandbox: Sandbox | undefined;
let transport: NodeFetch | undefined;

afterEach(async () => {
  transport?.destroy();
  transport = undefined;
  await sandbox?.close();
  sandbox = undefined;
});

afterAll(() => {
  console.log(`fault matrix, scale ${SCALE}:`);
  console.table(rows);
});

describe.each(transports)('over $name', ({ name: transportName, scale, create }) => {
  describe.each(operations)('$name', (operation) => {
    const faults = matrixFaults.filter((fault) => !fault.jobsOnly || operation.hasJobs);
    it.each(faults)(
      'keeps every record in one known state under $name',
      async (fault: MatrixFault) => {
        const count = Math.max(50, Math.round(operation.records * SCALE * scale));
        transport = create();
        const fetch: FetchLike | undefined = transport;
        sandbox = await startSandbox({ seed: 7, jobMs: 20 });
        await operation.prepare(sandbox, count);
        sandbox.faults.set(fault.settings(operation), { vendor: operation.vendor });
        const started = performance.now();
        const figures = await operation.run(sandbox, count, {
          timeoutMs: fault.timeoutMs ?? 5_000,
          lostAnswers: fault.lostAnswers,
          fetch,
        });
        const injected = fault.injected(sandbox.faults.counters);
        rows.push({
          transport: transportName,
          operation: operation.name,
          fault: fault.name,
          ...figures,
          injected: Number.isNaN(injected) ? 'all jobs' : injected,
          seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
        });
        // The fault was really there (the 'none' row proves the checks pass without one), unless
        // the client could see it coming in the vendor's headers and kept clear of it.
        if (fault.name !== 'none' && !fault.avoidable && !Number.isNaN(injected)) {
          expect(injected).toBeGreaterThan(0);
        }
      },
    );
  });
});
