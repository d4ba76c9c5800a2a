import { describe, expectTypeOf, it } from 'vitest';
import {
  createMpdxClient,
  type MpdxErrorDocument,
  type NotificationPreference,
  type NotificationPreferenceInput,
  type NotificationPreferencesBulkRequest,
  type NotificationPreferencesBulkResult,
} from '../src/index.js';

const mpdx = createMpdxClient({ token: 'sandbox-token' });
const path = '/api/v2/account_lists/{account_list_id}/notification_preferences/bulk' as const;
const params = { path: { account_list_id: 'bb9d4ccd-4739-4481-88fb-d6503e7ee67b' } };

const valid: NotificationPreferenceInput = {
  type: 'notification_preferences',
  id: '6333be88-4c01-4a85-99ce-f6aa964e6340',
  attributes: { app: true, email: true, task: false },
  relationships: {
    notification_type: {
      data: { type: 'notification_types', id: 'f2fc1247-75b4-49a0-b98e-9482d3be4af1' },
    },
  },
};

/** Checks one member of a bulk request body against the generated type. */
function member(data: NotificationPreferenceInput): NotificationPreferencesBulkRequest {
  return { data: [{ data }] };
}

describe('bulk create request body', () => {
  it('accepts the documented shape', () => {
    expectTypeOf(mpdx.api.POST).toBeCallableWith(path, {
      params,
      body: { data: [{ data: valid }] },
    });
    expectTypeOf<
      NotificationPreferencesBulkRequest['data'][number]['data']
    >().toEqualTypeOf<NotificationPreferenceInput>();
  });

  it('rejects a misspelt attribute', () => {
    // @ts-expect-error `emails` is not an attribute
    member({ ...valid, attributes: { emails: true } });
  });

  it('rejects a flag that is not a boolean', () => {
    // @ts-expect-error flags are booleans
    member({ ...valid, attributes: { app: 'yes' } });
  });

  it('rejects another resource type', () => {
    // @ts-expect-error the type is always notification_preferences
    member({ ...valid, type: 'notification_preference' });
  });

  it('rejects a client id that is not a string', () => {
    // @ts-expect-error ids are uuid strings
    member({ ...valid, id: 42 });
  });

  it('rejects the singular relationship type that only responses use', () => {
    const body: NotificationPreferencesBulkRequest = {
      data: [
        {
          data: {
            ...valid,
            relationships: {
              // @ts-expect-error requests send `notification_types`
              notification_type: { data: { type: 'notification_type', id: valid.id } },
            },
          },
        },
      ],
    };
    void body;
  });

  it('rejects a member that is not wrapped in its own data key', () => {
    // @ts-expect-error each member wraps the resource in `data`
    const body: NotificationPreferencesBulkRequest = { data: [valid] };
    void body;
  });

  it('requires the notification type', () => {
    const { relationships: _dropped, ...withoutType } = valid;
    // @ts-expect-error relationships are required
    const body: NotificationPreferencesBulkRequest = { data: [{ data: withoutType }] };
    void body;
  });

  it('rejects a misspelt path parameter', () => {
    const body = { data: [{ data: valid }] };
    // @ts-expect-error the parameter is account_list_id
    void mpdx.api.POST(path, { params: { path: { accountListId: 'x' } }, body });
  });
});

describe('responses', () => {
  it('types a bulk response element as a created document or an error document', async () => {
    const { data } = await mpdx.api.POST(path, { params, body: { data: [{ data: valid }] } });
    expectTypeOf(data).toEqualTypeOf<NotificationPreferencesBulkResult[] | undefined>();
    expectTypeOf<NotificationPreferencesBulkResult>().toEqualTypeOf<
      { data: NotificationPreference } | MpdxErrorDocument
    >();
  });

  it('types the error body as the JSON:API error document', async () => {
    const { error } = await mpdx.api.GET('/api/v2/notification_types');
    expectTypeOf(error).toEqualTypeOf<MpdxErrorDocument | undefined>();
  });

  it('spells the response relationship type in the singular', () => {
    expectTypeOf<
      NotificationPreference['relationships']['notification_type']['data']['type']
    >().toEqualTypeOf<'notification_type'>();
  });
});
