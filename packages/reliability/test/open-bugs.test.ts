/**
 * Regression tests of bugs the reliability suites found in other packages and that are still
 * open. Each is `it.fails` while the bug stands: the day it is fixed the test "unexpectedly
 * passes", and `.fails` comes off (and the bug leaves RELIABILITY.md's open list).
 */
import { type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { createThoughtIndustriesClient } from '@bulk-clients/thought-industries';
import { afterEach, describe, expect, it } from 'vitest';
import { pause } from './raw-exchange.js';

const TOKEN = 'sandbox-token';
const UPDATE = '/incoming/v2/content/certificate-templates/bulk/update';

let sandbox: Sandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** An ECONNRESET as undici reports it: the answer was lost after the server handled the request. */
function connectionReset(): TypeError {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
  });
}

describe('a lost answer followed by a refusal', () => {
  // Found by the fault matrix ('all at once' row, Thought Industries). packages/core/src/
  // run-bulk.ts keeps an item `unknown` once an attempt's answer was lost ("Sticky: a later
  // refusal does not undo what this attempt may have applied"), but only when the later attempt
  // throws: per-item `failed` results of a later attempt (`result.kind === 'failed'` in
  // processBatch) are settled `failed` even after a lost attempt. With Thought Industries,
  // attempt 1 is applied and its answer lost, attempt 2's job fails: the template is written and
  // the record reported failed.
  it('never reports failed a record an earlier attempt wrote', async () => {
    sandbox = await startSandbox({ seed: 7, jobMs: 20 });
    const live = sandbox;
    const templateId = [...live.state.thoughtIndustries!.templates.keys()][0]!;
    let lost = false;
    const ti = createThoughtIndustriesClient({
      token: TOKEN,
      baseUrl: live.url,
      rateLimit: false,
      fetch: async (request) => {
        const response = await fetch(request);
        if (!lost && request.method === 'POST' && new URL(request.url).pathname === UPDATE) {
          // The vendor took the update and started its job; the answer never arrives, and every
          // job from now on fails.
          lost = true;
          await response.arrayBuffer();
          live.faults.set({ jobs: { failureRate: 1 } }, { vendor: 'thought-industries' });
          throw connectionReset();
        }
        return response;
      },
    });
    const report = await ti.certificateTemplates.bulkUpdate([{ id: templateId, title: 'Once' }], {
      collect: true,
      retry: { retries: 3, minDelayMs: 50, maxDelayMs: 50 },
      poll: { minDelayMs: 5, maxDelayMs: 20, maxWaitMs: 5_000 },
    });
    // Let the first job (which does not fail) reach its end, then read what it wrote.
    await pause(100);
    live.state.thoughtIndustries!.settle();
    const written = live.state.thoughtIndustries!.templates.get(templateId)?.title === 'Once';
    expect(written).toBe(true);
    expect(report.outcomes?.[0]?.status).not.toBe('failed');
  });
});
