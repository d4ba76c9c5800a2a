import { describe, expectTypeOf, it } from 'vitest';
import {
  type BatchItemError,
  createHubSpotClient,
  type HubSpotApiError,
  hasBatchErrors,
  type Ticket,
  type TicketBatchResult,
  type TicketBatchResultWithErrors,
  type TicketBatchUpdateRequest,
  type TicketUpdateInput,
  type TicketUpsertResult,
  unwrapHubSpot,
} from '../src/index.js';

const client = createHubSpotClient({ token: 'sandbox-token' });
const update = '/crm/v3/objects/tickets/batch/update';

describe('request bodies', () => {
  it('accept the documented shape', () => {
    expectTypeOf<{
      inputs: [{ id: '1'; properties: { subject: 'x' } }];
    }>().toExtend<TicketBatchUpdateRequest>();
    expectTypeOf<TicketUpdateInput['properties']>().toEqualTypeOf<Record<string, string>>();
  });

  it('reject a wrong field name', () => {
    // @ts-expect-error `input` is not a field: the field is `inputs`
    void client.api.POST(update, { body: { input: [{ id: '1', properties: {} }] } });
    // @ts-expect-error `ids` is not a field of an input
    void client.api.POST(update, { body: { inputs: [{ ids: '1', properties: {} }] } });
  });

  it('reject a wrong field type', () => {
    const priority = 3;
    // @ts-expect-error property values are strings, not numbers
    void client.api.POST(update, { body: { inputs: [{ id: '1', properties: { priority } }] } });
    // @ts-expect-error ids are strings
    void client.api.POST(update, { body: { inputs: [{ id: 512, properties: {} }] } });
    expectTypeOf<{
      inputs: [{ id: 512; properties: Record<string, string> }];
    }>().not.toExtend<TicketBatchUpdateRequest>();
  });

  it('reject a missing required field', () => {
    // @ts-expect-error `properties` is required on an update input
    void client.api.POST(update, { body: { inputs: [{ id: '1' }] } });
    void client.api.POST('/crm/v3/objects/tickets/batch/read', {
      // @ts-expect-error `propertiesWithHistory` is required on a batch read
      body: { inputs: [{ id: '1' }], properties: [] },
    });
  });

  it('reject an unknown association category', () => {
    void client.api.POST('/crm/v3/objects/tickets/batch/create', {
      body: {
        inputs: [
          {
            properties: {},
            associations: [
              {
                to: { id: '1' },
                // @ts-expect-error the category is one of three documented values
                types: [{ associationCategory: 'MINE', associationTypeId: 1 }],
              },
            ],
          },
        ],
      },
    });
  });

  it('reject an unknown path', () => {
    // @ts-expect-error there is no such endpoint
    void client.api.POST('/crm/v3/objects/tickets/batch/delete', { body: { inputs: [] } });
  });
});

describe('responses', () => {
  it('type a batch update answer as the 200 or 207 body', async () => {
    const data = unwrapHubSpot(await client.api.POST(update, { body: { inputs: [] } }));
    expectTypeOf(data).toExtend<TicketBatchResult>();
    expectTypeOf<TicketBatchResultWithErrors>().toExtend<TicketBatchResult>();
    if (hasBatchErrors(data)) {
      expectTypeOf(data.errors).toExtend<BatchItemError[]>();
      expectTypeOf(data.numErrors).toExtend<number>();
    }
    expectTypeOf(data.results).toEqualTypeOf<Ticket[]>();
    expectTypeOf(data.results[0]!.properties).toEqualTypeOf<Record<string, string | null>>();
  });

  it('type an upsert result with `new`', async () => {
    const data = unwrapHubSpot(
      await client.api.POST('/crm/v3/objects/tickets/batch/upsert', { body: { inputs: [] } }),
    );
    expectTypeOf(data).toExtend<TicketUpsertResult>();
    expectTypeOf(data.results[0]!.new).toEqualTypeOf<boolean>();
  });

  it('type error bodies with the HubSpot shapes', () => {
    expectTypeOf<HubSpotApiError['body']['correlationId']>().toEqualTypeOf<string>();
    expectTypeOf<HubSpotApiError['status']>().toEqualTypeOf<number>();
  });
});
