/** Shared set-up of the tests that run bulk creates against a real sandbox server. */
import { deriveItemId } from '@bulk-clients/core';
import { type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { expect } from 'vitest';
import {
  createMpdxClient,
  type MpdxClient,
  type MpdxClientOptions,
  type NewNotificationPreference,
  type NotificationPreferencesBulkCreateReport,
} from '../src/index.js';

export const TOKEN = 'sandbox-token';
/** A notification type id the sandbox does not know. */
export const UNKNOWN_TYPE_ID = '00000000-0000-4000-8000-00000000dead';
/** Fast retries: the tests inject faults, not waiting time. */
export const FAST_RETRY = { retries: 8, minDelayMs: 1, maxDelayMs: 20 } as const;

export interface MpdxSandbox {
  sandbox: Sandbox;
  client: MpdxClient;
  accountListIds: string[];
  typeIds: string[];
  /** A client of the same sandbox with other options. */
  clientWith(options: Partial<MpdxClientOptions>): MpdxClient;
}

/** Starts a sandbox on a free loopback port with a client whose budget never slows a test. */
export async function startMpdxSandbox(seed = 11): Promise<MpdxSandbox> {
  const sandbox = await startSandbox({ seed, token: TOKEN });
  const state = sandbox.state.mpdx;
  if (!state) throw new Error('The sandbox runs no MPDX simulator');
  const clientWith = (options: Partial<MpdxClientOptions>) =>
    createMpdxClient({
      token: TOKEN,
      baseUrl: sandbox.url,
      rateLimit: { requests: 10_000, perMs: 1000 },
      ...options,
    });
  return {
    sandbox,
    client: clientWith({}),
    accountListIds: [...state.accountLists.keys()],
    typeIds: [...state.notificationTypes.keys()],
    clientWith,
  };
}

/**
 * `count` preferences cycling through the notification types and flag combinations; every
 * `badEvery`-th one (when given) names a notification type that does not exist.
 */
export function preferencesFor(
  typeIds: readonly string[],
  count: number,
  badEvery?: number,
): NewNotificationPreference[] {
  return Array.from({ length: count }, (_, index) => ({
    notificationTypeId:
      badEvery !== undefined && index % badEvery === badEvery - 1
        ? UNKNOWN_TYPE_ID
        : typeIds[index % typeIds.length]!,
    app: index % 2 === 0,
    email: index % 3 === 0,
    ...(index % 5 === 0 ? {} : { task: index % 7 === 0 }),
  }));
}

/** The invariant every run keeps: each input is counted exactly once. */
export function expectAccounted(report: NotificationPreferencesBulkCreateReport): void {
  expect(report.succeeded + report.failed + report.unknown + report.skipped).toBe(report.total);
  if (report.outcomes) {
    expect(report.outcomes.map((outcome) => outcome.index)).toEqual(
      Array.from({ length: report.total }, (_, index) => index),
    );
  }
}

/** The id a record was (or would have been) sent with. */
export function idOf(
  report: NotificationPreferencesBulkCreateReport,
  index: number,
  item: NewNotificationPreference,
): string {
  return item.id ?? deriveItemId(report.runId, index);
}

/**
 * Reads the sandbox's final state: each succeeded record is stored once, in the right account
 * list with the flags it asked for; no other record of the run was written.
 */
export function expectStoredExactlyOnce(
  { sandbox }: MpdxSandbox,
  accountListId: string,
  report: NotificationPreferencesBulkCreateReport,
): void {
  const state = sandbox.state.mpdx!;
  for (const outcome of report.outcomes ?? []) {
    const id = idOf(report, outcome.index, outcome.item);
    const stored = state.preferences.get(id);
    if (outcome.status === 'succeeded') {
      // A record an earlier run of the journal settled carries no value.
      if (!outcome.resumed) expect(outcome.value?.id).toBe(id);
      expect(state.writeCounts.get(id), `writes of record ${outcome.index}`).toBe(1);
      expect(stored).toMatchObject({
        accountListId,
        notificationTypeId: outcome.item.notificationTypeId,
        app: outcome.item.app ?? false,
        email: outcome.item.email ?? false,
        task: outcome.item.task ?? false,
      });
    } else if (outcome.status !== 'unknown' && outcome.item.id === undefined) {
      // A failed or skipped record with a derived id cannot have been stored by anyone else.
      expect(stored, `record ${outcome.index} (${outcome.status})`).toBeUndefined();
    }
  }
}
