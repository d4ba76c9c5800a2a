/**
 * `hubspot.objects('contacts').batchCreate` at 2026-03 in the fault matrix: record `n` creates a
 * contact with an email unique to the run, read back by that email (`dedupeProperty`) when an
 * answer is lost; every 97th carries a lifecycle stage HubSpot does not know, which it must
 * refuse by name (207 `VALIDATION_ERROR`) or, with `wholeBatch`, by refusing the whole batch
 * with a 400 that names no input, which the client must narrow down to that record alone. A
 * create is not idempotent: no email may end on two contacts, whatever the fault.
 */
import { createHubSpotClient, type ObjectCreateInput } from '@bulk-clients/hubspot';
import type { Sandbox } from '@bulk-clients/sandbox';
import { expect } from 'vitest';
import { expectAccounted, expectReasoned, figuresOf } from './checks.js';
import type { CellOptions, MatrixOperation } from './types.js';

const TOKEN = 'sandbox-token';
const refused = (n: number) => n % 97 === 96;

function objectCreate(wholeBatch: boolean): MatrixOperation {
  return {
    name: wholeBatch ? 'hubspot.contacts.create, whole 400s' : 'hubspot.contacts.batchCreate',
    vendor: 'hubspot',
    records: 3000,
    hasJobs: false,
    burst: { requests: 50, perMs: 1000 },
    async prepare(sandbox) {
      expect(sandbox.state.hubspot!.objects.has('contacts')).toBe(true);
      sandbox.state.hubspot!.refuseWholeBatch = wholeBatch;
    },
    async run(sandbox: Sandbox, count: number, { timeoutMs, fetch }: CellOptions) {
      const client = createHubSpotClient({
        token: TOKEN,
        baseUrl: sandbox.url,
        apiVersion: '2026-03',
        rateLimit: { requests: 100_000, perMs: 1000 },
        fetch,
      });
      const tag = `matrix-${sandbox.port}`;
      const emailOf = (n: number) => `${tag}-${n}@example.com`;
      const inputs: ObjectCreateInput[] = Array.from({ length: count }, (_, n) => ({
        properties: {
          email: emailOf(n),
          lifecyclestage: refused(n) ? 'not-a-stage' : 'lead',
        },
      }));
      const report = await client.objects('contacts').batchCreate(inputs, {
        dedupeProperty: 'email',
        collect: true,
        batchSize: 10,
        retry: { retries: 10, minDelayMs: 1, maxDelayMs: 20 },
        requestTimeoutMs: timeoutMs,
      });
      const outcomes = expectAccounted(report, count);
      const holders = new Map<string, string[]>();
      for (const record of sandbox.state.hubspot!.objects.get('contacts')!.records.values()) {
        const email = record.properties.email;
        if (email?.startsWith(tag)) holders.set(email, [...(holders.get(email) ?? []), record.id]);
      }
      for (const outcome of outcomes) {
        const email = emailOf(outcome.index);
        const made = holders.get(email) ?? [];
        // Never two contacts for one record, whatever was lost.
        expect(made.length, `contacts with ${email}`).toBeLessThanOrEqual(1);
        if (outcome.status === 'succeeded') {
          expect(made).toEqual([outcome.value?.id]);
          continue;
        }
        expectReasoned(outcome);
        // Refused by name in a 207, or, refused whole, by the 400 once isolated. Under faults its
        // retries can run out first (a request not sent, a timeout): failed all the same, and
        // never written (checked below).
        if (
          refused(outcome.index) &&
          outcome.status === 'failed' &&
          outcome.error?.code === 'VALIDATION_ERROR'
        ) {
          expect(outcome.error.status).toBe(wholeBatch ? 400 : 207);
        }
        // Isolation leaves no good record failed for a bad one beside it.
        if (outcome.status === 'failed' && outcome.error?.code === 'VALIDATION_ERROR') {
          expect(refused(outcome.index), `record ${outcome.index}`).toBe(true);
        }
        if (outcome.status !== 'unknown') expect(made, `${outcome.status} ${email}`).toEqual([]);
      }
      return figuresOf(report);
    },
  };
}

export const hubspotObjectCreate = objectCreate(false);
export const hubspotObjectCreateRefusedWhole = objectCreate(true);
