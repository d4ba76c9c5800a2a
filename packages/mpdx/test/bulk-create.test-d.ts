import type { BulkAdapter, BulkReport, ItemOutcome } from '@bulk-clients/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type CreatedNotificationPreference,
  createMpdxClient,
  createNotificationPreferencesBulkCreateAdapter,
  type NewNotificationPreference,
  type NotificationPreference,
} from '../src/index.js';

const mpdx = createMpdxClient({ token: 'sandbox-token' });
const listId = 'bb9d4ccd-4739-4481-88fb-d6503e7ee67b';
const typeId = 'ed0218b7-1f9c-4d20-9777-a9447820f410';

describe('notificationPreferences.bulkCreate', () => {
  it('returns the core report typed with the MPDX records', () => {
    expectTypeOf(mpdx.notificationPreferences.bulkCreate(listId, [])).resolves.toEqualTypeOf<
      BulkReport<NewNotificationPreference, CreatedNotificationPreference>
    >();
    expectTypeOf<CreatedNotificationPreference['preference']>().toEqualTypeOf<
      NotificationPreference | undefined
    >();
  });

  it('takes arrays and async iterables of new preferences', () => {
    async function* read(): AsyncGenerator<NewNotificationPreference> {
      yield { notificationTypeId: typeId, email: true };
    }
    expectTypeOf(mpdx.notificationPreferences.bulkCreate).toBeCallableWith(listId, read());
    expectTypeOf(mpdx.notificationPreferences.bulkCreate).toBeCallableWith(listId, [
      { id: listId, notificationTypeId: typeId, app: true, email: false, task: true },
    ]);
  });

  it('requires the notification type and boolean flags', () => {
    // @ts-expect-error notificationTypeId is required
    void mpdx.notificationPreferences.bulkCreate(listId, [{ app: true }]);
    // @ts-expect-error flags are booleans
    void mpdx.notificationPreferences.bulkCreate(listId, [{ notificationTypeId: typeId, app: 1 }]);
  });

  it('types the outcome callbacks and rejects options of the wrong type', () => {
    void mpdx.notificationPreferences.bulkCreate(listId, [], {
      onItem: (outcome) => {
        expectTypeOf(outcome).toEqualTypeOf<
          ItemOutcome<NewNotificationPreference, CreatedNotificationPreference>
        >();
      },
    });
    // @ts-expect-error batchSize is a number
    void mpdx.notificationPreferences.bulkCreate(listId, [], { batchSize: '100' });
    // @ts-expect-error the client's own limiter is always used
    void mpdx.notificationPreferences.bulkCreate(listId, [], { limiter: undefined });
  });

  it('builds an adapter for runBulk', () => {
    expectTypeOf(createNotificationPreferencesBulkCreateAdapter(mpdx, listId)).toEqualTypeOf<
      BulkAdapter<NewNotificationPreference, CreatedNotificationPreference>
    >();
  });
});
