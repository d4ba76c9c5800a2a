import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type NewNotificationPreference,
  NOTIFICATION_PREFERENCES_BULK_CREATE,
} from '../src/index.js';
import {
  expectAccounted,
  expectStoredExactlyOnce,
  FAST_RETRY,
  idOf,
  type MpdxSandbox,
  preferencesFor,
  startMpdxSandbox,
  UNKNOWN_TYPE_ID,
} from './sandbox-helpers.js';

let env: MpdxSandbox;
let listId: string;

beforeAll(async () => {
  env = await startMpdxSandbox(21);
  listId = env.accountListIds[0]!;
});
afterEach(() => env.sandbox.faults.reset());
afterAll(() => env.sandbox.close());

describe('notificationPreferences.bulkCreate against the sandbox', () => {
  it('creates every preference once, 100 per request by default', async () => {
    const preferences = preferencesFor(env.typeIds, 250);
    const report = await env.client.notificationPreferences.bulkCreate(listId, preferences, {
      collect: true,
    });
    expect(report).toMatchObject({
      operation: NOTIFICATION_PREFERENCES_BULK_CREATE,
      total: 250,
      succeeded: 250,
      requests: 3,
    });
    expect(report.outcomes?.every((outcome) => outcome.value?.created === true)).toBe(true);
    expect(report.outcomes?.[0]?.value?.preference?.relationships.notification_type.data).toEqual({
      id: preferences[0]!.notificationTypeId,
      type: 'notification_type',
    });
    expectAccounted(report);
    expectStoredExactlyOnce(env, listId, report);
  });

  it('fails a record with an unknown notification type with the vendor detail', async () => {
    const preferences = preferencesFor(env.typeIds, 30, 10);
    const report = await env.client.notificationPreferences.bulkCreate(listId, preferences, {
      collect: true,
      batchSize: 7,
    });
    expect([report.succeeded, report.failed]).toEqual([27, 3]);
    const failed = report.outcomes!.filter((outcome) => outcome.status === 'failed');
    expect(failed.map((outcome) => outcome.index)).toEqual([9, 19, 29]);
    const first = failed[0]!;
    expect(first.attempts).toBe(1);
    expect(first.error).toMatchObject({
      code: 'not_found',
      status: 404,
      field: 'notificationTypeId',
      message: `Record 9 (id ${idOf(report, 9, first.item)}): notificationTypeId: No notification type with id ${UNKNOWN_TYPE_ID}.`,
      vendor: {
        id: idOf(report, 9, first.item),
        errors: [
          {
            status: '404',
            title: 'Not Found',
            source: { pointer: '/data/2/data/relationships/notification_type/data/id' },
          },
        ],
      },
    });
    expectAccounted(report);
    expectStoredExactlyOnce(env, listId, report);
  });

  const typeId = () => env.typeIds[0]!;
  describe.each([
    {
      name: 'a flag that is not a boolean',
      record: () => ({ notificationTypeId: typeId(), app: 'yes' }),
      field: 'app',
      message: 'Record 1: app: expected true or false, got "yes"',
    },
    {
      name: 'a notification type id that is a number',
      record: () => ({ notificationTypeId: 42 }),
      field: 'notificationTypeId',
      message: 'Record 1: notificationTypeId: expected the uuid of a notification type, got number',
    },
    {
      name: 'an id that is not a uuid',
      record: () => ({ id: 'pref-1', notificationTypeId: typeId() }),
      field: 'id',
      message: 'Record 1: id: expected a uuid, got "pref-1"',
    },
    {
      name: 'a misspelt field',
      record: () => ({ notificationTypeId: typeId(), emails: true }),
      field: 'emails',
      message: 'Record 1: emails: unknown field; expected id, notificationTypeId, app, email, task',
    },
    {
      name: 'a record that is not an object',
      record: () => 'larger_gift',
      field: undefined,
      message: 'Record 1: expected an object, got "larger_gift"',
    },
  ])('a record of the wrong type: $name', ({ record, field, message }) => {
    it('fails before anything is sent, naming the field and the record', async () => {
      const preferences = [
        { notificationTypeId: typeId() },
        record() as unknown as NewNotificationPreference,
        { notificationTypeId: typeId(), email: true },
      ];
      const report = await env.client.notificationPreferences.bulkCreate(listId, preferences, {
        collect: true,
      });
      expect([report.succeeded, report.failed, report.requests]).toEqual([2, 1, 1]);
      expect(report.outcomes![1]).toMatchObject({
        status: 'failed',
        attempts: 0,
        error: { code: 'invalid_item', field, message },
      });
      expectAccounted(report);
      expect(env.sandbox.state.mpdx!.preferences.has(idOf(report, 1, preferences[1]!))).toBe(false);
    });
  });

  it('fails a caller id repeated in the input without sending it, in any batch', async () => {
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    const preferences: NewNotificationPreference[] = [
      { id: ids[0], notificationTypeId: typeId(), app: true },
      { id: ids[1], notificationTypeId: typeId() },
      { id: ids[0]!.toUpperCase(), notificationTypeId: typeId(), app: true },
      { id: ids[1], notificationTypeId: env.typeIds[1]! },
    ];
    const report = await env.client.notificationPreferences.bulkCreate(listId, preferences, {
      collect: true,
      batchSize: 2,
    });
    expect(report.outcomes!.map((outcome) => outcome.status)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
      'failed',
    ]);
    expect(report.outcomes![2]!.error).toEqual({
      code: 'duplicate_id',
      field: 'id',
      message: `Record 2: id: ${ids[0]!.toUpperCase()} is already used by record 0`,
    });
    expect(report.outcomes![3]!.error?.message).toBe(
      `Record 3: id: ${ids[1]} is already used by record 1`,
    );
    expect(report.requests).toBe(1);
    expectAccounted(report);
    expectStoredExactlyOnce(env, listId, report);
  });

  it('lets the vendor answer 409 for a repeated id when the check is off', async () => {
    const id = crypto.randomUUID();
    const preferences: NewNotificationPreference[] = [
      { id, notificationTypeId: typeId(), email: true },
      { id, notificationTypeId: env.typeIds[1]! },
    ];
    const report = await env.client.notificationPreferences.bulkCreate(listId, preferences, {
      collect: true,
      checkDuplicateIds: false,
    });
    expect(report.outcomes![1]).toMatchObject({
      status: 'failed',
      error: {
        code: 'conflict',
        status: 409,
        field: 'id',
        message: `Record 1 (id ${id}): id: A notification preference with id ${id} already exists. (a preference with other values already has this id)`,
      },
    });
    expect(env.sandbox.state.mpdx!.writeCounts.get(id)).toBe(1);
  });

  describe('a caller id that already exists before the run', () => {
    const existing = { notificationTypeId: '', email: true };
    let id: string;
    beforeAll(async () => {
      existing.notificationTypeId = env.typeIds[2]!;
      id = crypto.randomUUID();
      const report = await env.client.notificationPreferences.bulkCreate(listId, [
        { id, ...existing },
      ]);
      expect(report.succeeded).toBe(1);
    });

    it('fails with conflict when the stored preference has other values', async () => {
      const report = await env.client.notificationPreferences.bulkCreate(
        listId,
        [{ id, ...existing, email: false }],
        { collect: true },
      );
      expect(report.outcomes![0]).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: { code: 'conflict', status: 409, vendor: { id } },
      });
      expect(env.sandbox.state.mpdx!.preferences.get(id)?.email).toBe(true);
    });

    it('succeeds without creating when the stored preference is the one asked for', async () => {
      const report = await env.client.notificationPreferences.bulkCreate(
        listId,
        [{ id, ...existing }],
        { collect: true },
      );
      expect(report.outcomes![0]).toMatchObject({
        status: 'succeeded',
        value: { id, created: false, preference: { id, attributes: { email: true } } },
      });
      expect(env.sandbox.state.mpdx!.writeCounts.get(id)).toBe(1);
    });

    it('fails with conflict in another account list', async () => {
      const report = await env.client.notificationPreferences.bulkCreate(
        env.accountListIds[1]!,
        [{ id, ...existing }],
        { collect: true },
      );
      expect(report.outcomes![0]?.error?.message).toMatch(
        /already exists\. \(the id is taken outside this account list\)$/,
      );
    });

    it('fails with conflict on a first attempt without the read-back', async () => {
      const report = await env.client.notificationPreferences.bulkCreate(
        listId,
        [{ id, ...existing }],
        { collect: true, verifyConflicts: false },
      );
      expect(report.outcomes![0]).toMatchObject({ status: 'failed', error: { code: 'conflict' } });
    });
  });

  it('retries a batch whose answer was lost and counts the 409 as created once', async () => {
    env.sandbox.faults.set(
      { resetAfterHandler: 1 },
      { route: 'POST /api/v2/account_lists/{account_list_id}/notification_preferences/bulk' },
    );
    // The first request loses its answer after the write; the faults are off from then on.
    let posts = 0;
    let resets = 0;
    const client = env.clientWith({
      fetch: (request) => {
        if (request.method === 'POST' && ++posts === 2) {
          resets = env.sandbox.faults.counters.resetsAfterHandler;
          env.sandbox.faults.reset();
        }
        return fetch(request);
      },
    });
    const report = await client.notificationPreferences.bulkCreate(
      listId,
      preferencesFor(env.typeIds, 40, 8),
      { collect: true, batchSize: 20, concurrency: 1, retry: FAST_RETRY },
    );
    expect(resets).toBe(1);
    expect([report.succeeded, report.failed, report.retries]).toEqual([35, 5, 1]);
    const firstBatch = report.outcomes!.slice(0, 20).filter((o) => o.status === 'succeeded');
    expect(firstBatch.every((outcome) => outcome.value?.created === false)).toBe(true);
    expect(firstBatch.every((outcome) => outcome.attempts === 2)).toBe(true);
    expectAccounted(report);
    expectStoredExactlyOnce(env, listId, report);
  });

  it('sends and accepts the JSON:API media type, so MPDX never answers 415', async () => {
    const seen: { method: string; contentType: string | null; accept: string | null }[] = [];
    const statuses: number[] = [];
    const client = env.clientWith({
      fetch: async (request) => {
        seen.push({
          method: request.method,
          contentType: request.headers.get('content-type'),
          accept: request.headers.get('accept'),
        });
        const response = await fetch(request);
        statuses.push(response.status);
        return response;
      },
    });
    const id = crypto.randomUUID();
    await client.notificationPreferences.bulkCreate(listId, [{ id, notificationTypeId: typeId() }]);
    // A conflict makes the adapter read the preference back: a GET goes out too.
    const report = await client.notificationPreferences.bulkCreate(
      listId,
      [{ id, notificationTypeId: typeId() }, ...preferencesFor(env.typeIds, 5)],
      { collect: true },
    );
    expect(report.succeeded).toBe(6);
    expect(seen.map((request) => request.method)).toEqual(['POST', 'POST', 'GET']);
    for (const request of seen) {
      expect(request.accept).toBe('application/vnd.api+json');
      if (request.method === 'POST') expect(request.contentType).toBe('application/vnd.api+json');
    }
    expect(statuses).toEqual([200, 200, 200]);
  });

  it('rejects bad arguments with a TypeError naming them', async () => {
    await expect(env.client.notificationPreferences.bulkCreate('list-1', [])).rejects.toThrow(
      /`accountListId`/,
    );
    await expect(
      env.client.notificationPreferences.bulkCreate(listId, [], { batchSize: 0 }),
    ).rejects.toThrow(/`batchSize`/);
    await expect(
      env.client.notificationPreferences.bulkCreate(listId, [], { concurrency: -1 }),
    ).rejects.toThrow(/`concurrency`/);
  });
});
