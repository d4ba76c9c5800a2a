/**
 * Shared pieces of the tests that run `tickets.batchUpdate` against a real sandbox: a generated
 * job with known good and bad inputs, and the checks every run must pass against the sandbox's
 * final state.
 */
import type { ItemOutcome } from '@bulk-clients/core';
import { type HubSpotState, type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { expect } from 'vitest';
import {
  createHubSpotClient,
  type HubSpotClient,
  type Ticket,
  type TicketsBatchUpdateReport,
  type TicketUpdateInput,
} from '../src/index.js';

export const SANDBOX_TOKEN = 'sandbox-token';

/** Retries short enough for tests, long enough to ride out a few faults in a row. */
export const TEST_RETRY = { retries: 8, minDelayMs: 1, maxDelayMs: 10 } as const;

export async function startHubSpotSandbox(): Promise<{ sandbox: Sandbox; client: HubSpotClient }> {
  const sandbox = await startSandbox({ seed: 7, port: 0 });
  // A budget far above the sandbox's own limits: the tests decide where the wall is.
  const client = createHubSpotClient({
    token: SANDBOX_TOKEN,
    baseUrl: sandbox.url,
    rateLimit: { requests: 10_000, perMs: 1000 },
  });
  return { sandbox, client };
}

export function hubspotState(sandbox: Sandbox): HubSpotState {
  const state = sandbox.state.hubspot;
  if (!state) throw new Error('The sandbox runs no HubSpot simulator');
  return state;
}

/** What one generated input should end as. */
export interface Planned {
  /** The seeded ticket the input writes, or `undefined` for an input HubSpot must refuse. */
  ticketId: string | undefined;
  subject: string;
  /** The failure category HubSpot must report for a refused input. */
  refusal?: 'OBJECT_NOT_FOUND' | 'VALIDATION_ERROR';
}

/**
 * `count` updates of seeded tickets `1..count` (the sandbox seeds 5,000): every third by its
 * `external_ref`, every 97th naming a ticket that does not exist, every 89th writing a read-only
 * property. Each writes a subject unique to the run, so the final state shows which input won.
 */
export function plannedUpdates(
  count: number,
  tag: string,
): { inputs: TicketUpdateInput[]; plan: Planned[] } {
  const inputs: TicketUpdateInput[] = [];
  const plan: Planned[] = [];
  for (let n = 1; n <= count; n += 1) {
    const subject = `${tag} #${n}`;
    const byRef = n % 3 === 0;
    if (n % 97 === 0) {
      inputs.push(
        byRef
          ? { id: `EXT-9${n}`, idProperty: 'external_ref', properties: { subject } }
          : { id: String(900_000 + n), properties: { subject } },
      );
      plan.push({ ticketId: undefined, subject, refusal: 'OBJECT_NOT_FOUND' });
      continue;
    }
    const properties: Record<string, string> = { subject };
    if (n % 89 === 0) properties.hs_object_id = '1';
    inputs.push(
      byRef
        ? { id: `EXT-${String(n).padStart(6, '0')}`, idProperty: 'external_ref', properties }
        : { id: String(n), properties, objectWriteTraceId: `row-${n}` },
    );
    plan.push(
      n % 89 === 0
        ? { ticketId: undefined, subject, refusal: 'VALIDATION_ERROR' }
        : { ticketId: String(n), subject },
    );
  }
  return { inputs, plan };
}

export interface RunCheck {
  /**
   * Whether every written ticket must have been written exactly once. Faults that lose an answer
   * after the write (reset after the handler, a cut body, a timeout) make an idempotent retry
   * write again; those runs check a bound instead.
   */
  exactlyOnce: boolean;
}

/**
 * The checks every run must pass: each input counted once; each good input written and holding
 * its subject, with the ticket HubSpot returned; each refused input failed with HubSpot's reason
 * and not written; nothing else written.
 */
export function checkRun(
  sandbox: Sandbox,
  report: TicketsBatchUpdateReport,
  plan: readonly Planned[],
  { exactlyOnce }: RunCheck,
): { rewritten: number } {
  const { succeeded, failed, unknown, skipped, total } = report;
  expect(succeeded + failed + unknown + skipped).toBe(total);
  expect(total).toBe(plan.length);
  const outcomes = report.outcomes ?? [];
  expect(outcomes).toHaveLength(plan.length);
  const state = hubspotState(sandbox);
  let rewritten = 0;
  const expectedWrites = new Set<string>();
  outcomes.forEach((outcome: ItemOutcome<TicketUpdateInput, Ticket>, index) => {
    const planned = plan[index]!;
    expect(outcome.index).toBe(index);
    if (planned.ticketId === undefined) {
      expect(outcome.status, `input ${index}`).toBe('failed');
      expect(outcome.error?.code).toBe(planned.refusal);
      // A journal keeps the code and message of a failure, not the vendor's whole answer.
      if (outcome.resumed) return;
      expect(outcome.error?.status).toBe(207);
      expect(outcome.error?.vendor).toMatchObject({ status: 'error', category: planned.refusal });
      expect(outcome.error?.message).toContain(outcome.item.id);
      if (planned.refusal === 'VALIDATION_ERROR') {
        expect(outcome.error?.field).toBe('properties.hs_object_id');
      }
      return;
    }
    expect(outcome.status, `input ${index}: ${outcome.error?.message}`).toBe('succeeded');
    if (!outcome.resumed) expect(outcome.value?.id).toBe(planned.ticketId);
    expectedWrites.add(planned.ticketId);
    expect(state.tickets.get(planned.ticketId)?.properties.subject).toBe(planned.subject);
    const writes = state.writeCounts.get(planned.ticketId) ?? 0;
    if (exactlyOnce) expect(writes, `writes of ticket ${planned.ticketId}`).toBe(1);
    else expect(writes).toBeGreaterThanOrEqual(1);
    if (writes > 1) rewritten += 1;
  });
  // Nothing but the planned tickets was written (refused inputs wrote nothing).
  for (const id of state.writeCounts.keys())
    expect(expectedWrites.has(id), `ticket ${id}`).toBe(true);
  return { rewritten };
}
