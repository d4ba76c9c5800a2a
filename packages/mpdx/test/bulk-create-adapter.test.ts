import { deriveItemId, type SendContext } from '@bulk-clients/core';
import {
  type CannedResponse,
  createRecordingFetch,
  type RecordedRequest,
} from '@bulk-clients/core/testing';
import { describe, expect, it } from 'vitest';
import { mpdxDefaults } from '../src/defaults.js';
import {
  createMpdxClient,
  createNotificationPreferencesBulkCreateAdapter,
  MpdxBulkResponseError,
  type NewNotificationPreference,
  type NotificationPreferencesBulkCreateAdapterOptions,
  toBulkMember,
} from '../src/index.js';

/** MPDX answers with the JSON:API media type. */
const jsonApi = { contentType: mpdxDefaults.mediaType };

const LIST_ID = 'bb9d4ccd-4739-4481-88fb-d6503e7ee67b';
const TYPE_ID = 'ed0218b7-1f9c-4d20-9777-a9447820f410';
const GIVEN_ID = '6333be88-4c01-4a85-99ce-f6aa964e6340';
const RUN_ID = 'run-7';

function setUp(
  respond: (request: RecordedRequest) => CannedResponse,
  options?: NotificationPreferencesBulkCreateAdapterOptions,
) {
  const transport = createRecordingFetch(respond, jsonApi);
  const client = createMpdxClient({
    token: 'sandbox-token',
    baseUrl: 'http://127.0.0.1:4010',
    fetch: transport.fetch,
    rateLimit: false,
  });
  const adapter = createNotificationPreferencesBulkCreateAdapter(client, LIST_ID, options);
  return { adapter, requests: transport.requests };
}

function context(attempt = 1): SendContext {
  return {
    signal: new AbortController().signal,
    attempt,
    batchKey: `${RUN_ID}:40`,
    runId: RUN_ID,
    note: async () => {},
  };
}

const stored = (id: string, email: boolean) => ({
  data: {
    id,
    type: 'notification_preferences',
    attributes: {
      app: false,
      email,
      task: false,
      created_at: '2026-11-23T14:24:51Z',
      updated_at: '2026-11-23T14:24:51Z',
      updated_in_db_at: '2026-11-23T14:24:51Z',
    },
    relationships: { notification_type: { data: { id: TYPE_ID, type: 'notification_type' } } },
  },
});

const conflict = (id: string) => ({
  errors: [
    {
      status: '409',
      title: 'Conflict',
      detail: `A notification preference with id ${id} already exists.`,
      source: { pointer: '/data/0/data/id' },
    },
  ],
  id,
});

describe('the bulk create adapter', () => {
  it('sends one JSON:API member per record, with derived ids where none is given', async () => {
    const { adapter, requests } = setUp((request) => ({
      status: 200,
      body: (request.body as { data: { data: { id: string } }[] }).data.map((member) =>
        stored(member.data.id, true),
      ),
    }));
    const batch = [
      { index: 40, item: { notificationTypeId: TYPE_ID, app: true, task: false } },
      { index: 41, item: { id: GIVEN_ID, notificationTypeId: TYPE_ID } },
    ];
    const results = await adapter.send(batch, context());
    const derived = deriveItemId(RUN_ID, 40);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('POST');
    expect(requests[0]!.url.pathname).toBe(
      `/api/v2/account_lists/${LIST_ID}/notification_preferences/bulk`,
    );
    expect(requests[0]!.headers.get('content-type')).toBe('application/vnd.api+json');
    expect(requests[0]!.body).toEqual({
      data: [
        {
          data: {
            type: 'notification_preferences',
            id: derived,
            attributes: { app: true, task: false },
            relationships: {
              notification_type: { data: { type: 'notification_types', id: TYPE_ID } },
            },
          },
        },
        {
          data: {
            type: 'notification_preferences',
            id: GIVEN_ID,
            attributes: {},
            relationships: {
              notification_type: { data: { type: 'notification_types', id: TYPE_ID } },
            },
          },
        },
      ],
    });
    expect(results.map((result) => result.kind === 'succeeded' && result.value.id)).toEqual([
      derived,
      GIVEN_ID,
    ]);
  });

  it('derives the same ids when the run is resumed', async () => {
    const sentIds: string[] = [];
    const { adapter } = setUp((request) => {
      const id = (request.body as { data: { data: { id: string } }[] }).data[0]!.data.id;
      sentIds.push(id);
      return { status: 200, body: [stored(id, false)] };
    });
    const batch = [{ index: 3, item: { notificationTypeId: TYPE_ID } }];
    await adapter.send(batch, context());
    await adapter.send(batch, context());
    expect(sentIds).toEqual([deriveItemId(RUN_ID, 3), deriveItemId(RUN_ID, 3)]);
  });

  describe.each([
    {
      name: 'the stored preference matches',
      read: { status: 200, body: stored(GIVEN_ID, true) },
      expected: {
        kind: 'succeeded',
        value: { id: GIVEN_ID, created: false, preference: stored(GIVEN_ID, true).data },
      },
    },
    {
      name: 'the stored preference has other flags',
      read: { status: 200, body: stored(GIVEN_ID, false) },
      expected: {
        kind: 'failed',
        error: {
          code: 'conflict',
          status: 409,
          field: 'id',
          message: `Record 40 (id ${GIVEN_ID}): id: A notification preference with id ${GIVEN_ID} already exists. (a preference with other values already has this id)`,
        },
      },
    },
    {
      name: 'the id is not in this account list',
      read: { status: 404, body: { errors: [{ status: '404', title: 'Not Found' }] } },
      expected: {
        kind: 'failed',
        error: { message: expect.stringMatching(/\(the id is taken outside this account list\)$/) },
      },
    },
    {
      name: 'the read fails',
      read: { status: 503, body: { errors: [{ status: '503', title: 'Service Unavailable' }] } },
      expected: { kind: 'resend' },
    },
  ])('a 409 for a caller id when $name', ({ read, expected }) => {
    it(`is ${expected.kind}`, async () => {
      const { adapter, requests } = setUp((request) =>
        request.method === 'POST' ? { status: 200, body: [conflict(GIVEN_ID)] } : read,
      );
      const [result] = await adapter.send(
        [{ index: 40, item: { id: GIVEN_ID, notificationTypeId: TYPE_ID, email: true } }],
        context(),
      );
      expect(result).toMatchObject(expected);
      expect(requests.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([
        `POST /api/v2/account_lists/${LIST_ID}/notification_preferences/bulk`,
        `GET /api/v2/account_lists/${LIST_ID}/notification_preferences/${GIVEN_ID}`,
      ]);
    });
  });

  describe.each([
    { attempt: 1, kind: 'failed' },
    { attempt: 2, kind: 'succeeded' },
  ])('without verifyConflicts, a 409 for a caller id on attempt $attempt', ({ attempt, kind }) => {
    it(`is ${kind}, without reading it back`, async () => {
      const { adapter, requests } = setUp(() => ({ status: 200, body: [conflict(GIVEN_ID)] }), {
        verifyConflicts: false,
      });
      const [result] = await adapter.send(
        [{ index: 0, item: { id: GIVEN_ID, notificationTypeId: TYPE_ID } }],
        context(attempt),
      );
      expect(result?.kind).toBe(kind);
      expect(requests).toHaveLength(1);
    });
  });

  it('treats a 200 that is not an array as a lost answer', async () => {
    const { adapter } = setUp(() => ({ status: 200, body: { data: [] } }));
    const sending = adapter.send([{ index: 0, item: { notificationTypeId: TYPE_ID } }], context());
    await expect(sending).rejects.toBeInstanceOf(MpdxBulkResponseError);
    const error = await sending.catch((thrown: unknown) => thrown);
    expect(adapter.classifyError?.(error)).toEqual({ kind: 'unknown', reason: 'invalid_response' });
    expect(adapter.classifyError?.(new Error('other'))).toBeUndefined();
  });

  it('throws the ApiError of a refused request, with the vendor body', async () => {
    const body = { errors: [{ status: '404', title: 'Not Found', detail: 'No account list.' }] };
    const { adapter } = setUp(() => ({ status: 404, body }));
    await expect(
      adapter.send([{ index: 0, item: { notificationTypeId: TYPE_ID } }], context()),
    ).rejects.toMatchObject({ name: 'ApiError', code: 'not_found', status: 404, body });
  });

  it('sizes a record as the bytes of its member', () => {
    const { adapter } = setUp(() => ({ status: 500 }));
    const item: NewNotificationPreference = { notificationTypeId: TYPE_ID, app: true };
    expect(adapter.sizeOf?.(item)).toBe(
      new TextEncoder().encode(JSON.stringify(toBulkMember(item, GIVEN_ID))).length,
    );
  });

  it('forgets the ids of a finished run when it serves the next one', () => {
    const { adapter } = setUp(() => ({ status: 500 }));
    const item = { id: GIVEN_ID, notificationTypeId: TYPE_ID };
    expect(adapter.validate?.(item, 0)).toBeUndefined();
    expect(adapter.validate?.(item, 1)?.code).toBe('duplicate_id');
    // A new run starts again at index 0.
    expect(adapter.validate?.(item, 0)).toBeUndefined();
  });

  it('is idempotent and takes batches of 100 unless told otherwise', () => {
    const { adapter } = setUp(() => ({ status: 500 }));
    expect([adapter.idempotent, adapter.maxBatchSize]).toEqual([true, 100]);
    expect(setUp(() => ({ status: 500 }), { batchSize: 250 }).adapter.maxBatchSize).toBe(250);
  });

  describe.each([
    {
      name: 'client',
      call: () => createNotificationPreferencesBulkCreateAdapter({} as never, LIST_ID),
    },
    {
      name: 'accountListId',
      call: () => createNotificationPreferencesBulkCreateAdapter(setUpClient(), 'list-1'),
    },
    {
      name: 'batchSize',
      call: () =>
        createNotificationPreferencesBulkCreateAdapter(setUpClient(), LIST_ID, { batchSize: 1.5 }),
    },
  ])('a bad $name', ({ name, call }) => {
    it('throws a TypeError naming it', () => {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(`\`${name}\``);
    });
  });
});

function setUpClient() {
  return createMpdxClient({ token: 'sandbox-token', rateLimit: false });
}
