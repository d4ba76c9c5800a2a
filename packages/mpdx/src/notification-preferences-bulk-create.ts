/**
 * `notificationPreferences.bulkCreate` as a core `BulkAdapter`: the vendor layer only builds the
 * JSON:API members, sends one request and maps its answer; `runBulk` does the batching,
 * concurrency, retries, throttling, accounting and journal.
 */
import {
  type BatchItem,
  type BulkAdapter,
  deriveItemId,
  type FailureClass,
  type ItemResult,
  isUuid,
  pickRunBulkOptions,
  runBulk,
  type SendContext,
  unwrap,
} from '@bulk-clients/core';
import { mpdxDefaults, retryAfterFromHeaders } from './defaults.js';
import { checkNewNotificationPreference, toBulkMember } from './new-notification-preference.js';
import {
  MpdxBulkResponseError,
  mapNotificationPreferencesBulkResponse,
  type SentNotificationPreference,
} from './notification-preferences-bulk-create-response.js';
import type {
  CreatedNotificationPreference,
  MpdxClient,
  NewNotificationPreference,
  NotificationPreference,
  NotificationPreferencesBulkCreateAdapterOptions,
  NotificationPreferencesBulkCreateOptions,
  NotificationPreferencesBulkCreateReport,
} from './types.js';

/** Name of the operation in reports and journals. */
export const NOTIFICATION_PREFERENCES_BULK_CREATE = 'mpdx.notificationPreferences.bulkCreate';

const BULK_PATH = '/api/v2/account_lists/{account_list_id}/notification_preferences/bulk';
const READ_PATH = '/api/v2/account_lists/{account_list_id}/notification_preferences/{id}';

/**
 * Creates the adapter of `notificationPreferences.bulkCreate` for one account list, to hand to
 * core's `runBulk` (with the client's limiter: `client.limiter`). Create one adapter
 * per run: it remembers the caller-given ids of its run to find duplicates.
 *
 * @example
 * const adapter = createNotificationPreferencesBulkCreateAdapter(mpdx, accountListId);
 * const report = await runBulk(readPreferences(), adapter, {
 *   limiter: mpdx.limiter,
 *   journal,
 * });
 */
export function createNotificationPreferencesBulkCreateAdapter(
  client: Pick<MpdxClient, 'api'>,
  accountListId: string,
  options: NotificationPreferencesBulkCreateAdapterOptions = {},
): BulkAdapter<NewNotificationPreference, CreatedNotificationPreference> {
  if (!client || typeof client !== 'object' || typeof client.api?.POST !== 'function') {
    throw new TypeError('Expected `client` to be an MPDX client from createMpdxClient');
  }
  if (!isUuid(accountListId)) {
    throw new TypeError(
      `Expected \`accountListId\` to be the uuid of an account list, got ${typeof accountListId === 'string' ? JSON.stringify(accountListId) : typeof accountListId}`,
    );
  }
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const batchSize = options.batchSize ?? mpdxDefaults.chunkSize;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new TypeError(
      `Expected \`batchSize\` to be a positive integer, got ${String(options.batchSize)}`,
    );
  }
  const checkDuplicateIds = options.checkDuplicateIds ?? true;
  const verifyConflicts = options.verifyConflicts ?? true;
  const { api } = client;

  // Caller-given id -> index of the record that used it first, for this run only.
  const seenIds = new Map<string, number>();
  let lastIndex = -1;
  const encoder = new TextEncoder();

  /** Reads a preference back after a 409 and says whether it is the one this record asked for. */
  const verify = async (
    record: SentNotificationPreference,
    preference: NewNotificationPreference,
    conflict: ItemResult<CreatedNotificationPreference> & { kind: 'failed' },
    signal: AbortSignal,
  ): Promise<ItemResult<CreatedNotificationPreference>> => {
    let stored: NotificationPreference;
    try {
      const result = await api.GET(READ_PATH, {
        params: { path: { account_list_id: accountListId, id: record.id } },
        signal,
      });
      if (result.response.status === 404) {
        return withReason(conflict, 'the id is taken outside this account list');
      }
      stored = unwrap(result, UNWRAP_OPTIONS).data;
    } catch {
      // The read failed: whether the stored preference matches is unknown, so send it again
      // (the engine bounds how often).
      return { kind: 'resend' };
    }
    if (!sameAs(stored, preference)) {
      return withReason(conflict, 'a preference with other values already has this id');
    }
    return { kind: 'succeeded', value: { id: record.id, created: false, preference: stored } };
  };

  return {
    operation: NOTIFICATION_PREFERENCES_BULK_CREATE,
    maxBatchSize: batchSize,
    idempotent: true,

    validate(item, index) {
      // Indexes only grow within a run: a smaller one means this adapter serves a new run.
      if (index <= lastIndex) seenIds.clear();
      lastIndex = index;
      const problem = checkNewNotificationPreference(item, index);
      if (problem || !checkDuplicateIds || item.id === undefined) return problem;
      const key = item.id.toLowerCase();
      const first = seenIds.get(key);
      if (first !== undefined) {
        return {
          code: 'duplicate_id',
          message: `Record ${index}: id: ${item.id} is already used by record ${first}`,
          field: 'id',
        };
      }
      seenIds.set(key, index);
      return undefined;
    },

    sizeOf(item) {
      // The id is always a 36-character uuid, so a placeholder gives the exact size.
      return encoder.encode(JSON.stringify(toBulkMember(item, ZERO_UUID))).length;
    },

    async send(batch: readonly BatchItem<NewNotificationPreference>[], ctx: SendContext) {
      const sent: SentNotificationPreference[] = batch.map(({ index, item }) => ({
        index,
        id: item.id ?? deriveItemId(ctx.runId, index),
        generatedId: item.id === undefined,
      }));
      const body = { data: batch.map(({ item }, at) => toBulkMember(item, sent[at]!.id)) };
      const answer = unwrap(
        await api.POST(BULK_PATH, {
          params: { path: { account_list_id: accountListId } },
          body,
          signal: ctx.signal,
        }),
        UNWRAP_OPTIONS,
      );
      const results = mapNotificationPreferencesBulkResponse(sent, answer, {
        alreadyCreated: (record) => record.generatedId || (!verifyConflicts && ctx.attempt > 1),
      });
      if (!verifyConflicts) return results;
      return Promise.all(
        results.map((result, at) =>
          result.kind === 'failed' && result.error.status === 409 && !sent[at]!.generatedId
            ? verify(sent[at]!, batch[at]!.item, result, ctx.signal)
            : result,
        ),
      );
    },

    classifyError(error): FailureClass | undefined {
      // A 200 whose body is not the promised array: records may have been created.
      if (error instanceof MpdxBulkResponseError) {
        return { kind: 'unknown', reason: 'invalid_response' };
      }
      return undefined;
    },
  };
}

/**
 * Creates notification preferences in one account list, 100 per request by default, through the
 * client's rate limiter. Every record ends in exactly one state; see the README's "Bulk
 * operations" section.
 */
export async function notificationPreferencesBulkCreate(
  client: Pick<MpdxClient, 'api' | 'limiter'>,
  accountListId: string,
  preferences: Iterable<NewNotificationPreference> | AsyncIterable<NewNotificationPreference>,
  options: NotificationPreferencesBulkCreateOptions = {},
): Promise<NotificationPreferencesBulkCreateReport> {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const { batchSize, checkDuplicateIds, verifyConflicts } = options;
  const adapter = createNotificationPreferencesBulkCreateAdapter(client, accountListId, {
    batchSize,
    checkDuplicateIds,
    verifyConflicts,
  });
  return runBulk(preferences, adapter, {
    ...pickRunBulkOptions<NewNotificationPreference, CreatedNotificationPreference>(options),
    limiter: client.limiter,
  });
}

/** @deprecated Use {@link notificationPreferencesBulkCreate}. */
export const bulkCreateNotificationPreferences = notificationPreferencesBulkCreate;

const UNWRAP_OPTIONS = { retryAfter: retryAfterFromHeaders };
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

function sameAs(stored: NotificationPreference, wanted: NewNotificationPreference): boolean {
  const attributes = stored.attributes;
  return (
    stored.relationships?.notification_type?.data?.id === wanted.notificationTypeId &&
    attributes?.app === (wanted.app ?? false) &&
    attributes?.email === (wanted.email ?? false) &&
    attributes?.task === (wanted.task ?? false)
  );
}

function withReason(
  conflict: ItemResult<CreatedNotificationPreference> & { kind: 'failed' },
  reason: string,
): ItemResult<CreatedNotificationPreference> {
  return {
    kind: 'failed',
    error: { ...conflict.error, message: `${conflict.error.message} (${reason})` },
  };
}
