import type { Sandbox } from '@bulk-clients/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import type { ObjectCreateInput } from '../src/index.js';
import { hubspotState, startHubSpotSandbox, TEST_RETRY } from './sandbox-run.js';

describe('objects(type).batchCreate against the sandbox', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  const contacts = (count: number, prefix: string): ObjectCreateInput[] =>
    Array.from({ length: count }, (_, n) => ({
      properties: { email: `${prefix}${n}@example.com`, firstname: `New ${n}` },
    }));
  const holdersOf = (state: ReturnType<typeof hubspotState>, prefix: string) => {
    const holders = new Map<string, number>();
    for (const record of state.objects.get('contacts')!.records.values()) {
      const email = record.properties.email;
      if (email?.startsWith(prefix)) holders.set(email, (holders.get(email) ?? 0) + 1);
    }
    return holders;
  };

  it('creates each record exactly once when answers are lost after the write, reading back by dedupeProperty', async () => {
    const started = await startHubSpotSandbox();
    sandbox = started.sandbox;
    sandbox.faults.set(
      { resetAfterHandler: 0.3 },
      { route: 'POST /crm/v3/objects/{objectType}/batch/create' },
    );
    const inputs = contacts(600, 'lost-');
    const report = await started.client.objects('contacts').batchCreate(inputs, {
      dedupeProperty: 'email',
      retry: TEST_RETRY,
      collect: true,
    });
    expect(sandbox.faults.counters.resetsAfterHandler).toBeGreaterThan(0);
    expect(report).toMatchObject({ total: 600, succeeded: 600, failed: 0, unknown: 0 });
    const holders = holdersOf(hubspotState(sandbox), 'lost-');
    expect(holders.size).toBe(600);
    for (const count of holders.values()) expect(count).toBe(1);
    for (const outcome of report.outcomes ?? []) {
      expect(outcome.value?.properties.email).toBe(outcome.item.properties.email);
    }
  });

  it('leaves the inputs of a lost answer unknown without dedupeProperty, and creates none twice', async () => {
    const started = await startHubSpotSandbox();
    sandbox = started.sandbox;
    sandbox.faults.set(
      { resetAfterHandler: 1 },
      { route: 'POST /crm/v3/objects/{objectType}/batch/create' },
    );
    const report = await started.client.objects('contacts').batchCreate(contacts(150, 'once-'), {
      retry: TEST_RETRY,
    });
    expect(report).toMatchObject({ total: 150, succeeded: 0, unknown: 150, requests: 2 });
    const holders = holdersOf(hubspotState(sandbox), 'once-');
    expect(holders.size).toBe(150);
    for (const count of holders.values()) expect(count).toBe(1);
  });
});
