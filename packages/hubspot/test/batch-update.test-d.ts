import type { BulkAdapter, BulkReport, ItemResult } from '@bulk-clients/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createHubSpotClient,
  createTicketsBatchUpdateAdapter,
  type Ticket,
  type TicketsBatchUpdateOptions,
  type TicketUpdateInput,
  type TicketUpsertInput,
  type UpsertedTicket,
} from '../src/index.js';
import { mapTicketBatchResponse } from '../src/internal.js';

const client = createHubSpotClient({ token: 'sandbox-token' });

describe('tickets.batchUpdate', () => {
  it('takes update inputs and returns the core report typed with tickets', () => {
    expectTypeOf(
      client.tickets.batchUpdate([{ id: '1', properties: { subject: 'x' } }]),
    ).toEqualTypeOf<Promise<BulkReport<TicketUpdateInput, Ticket>>>();
  });

  it('takes async iterables', () => {
    async function* rows(): AsyncGenerator<TicketUpdateInput> {
      yield { id: 'EXT-1', properties: {} };
    }
    void client.tickets.batchUpdate(rows(), { idProperty: 'external_ref' });
  });

  it('rejects a number as a property value', () => {
    // @ts-expect-error property values are strings
    void client.tickets.batchUpdate([{ id: '1', properties: { priority: 3 } }]);
  });

  it('passes the engine options that make sense, and not the limiter', () => {
    expectTypeOf<TicketsBatchUpdateOptions>().toHaveProperty('concurrency');
    expectTypeOf<TicketsBatchUpdateOptions>().toHaveProperty('journal');
    expectTypeOf<TicketsBatchUpdateOptions>().toHaveProperty('onItem');
    expectTypeOf<TicketsBatchUpdateOptions>().not.toHaveProperty('limiter');
    // @ts-expect-error the client's own limiter is always used
    void client.tickets.batchUpdate([], { limiter: undefined });
  });
});

describe('tickets.batchUpsert', () => {
  it('returns the core report typed with upserted tickets', () => {
    expectTypeOf(
      client.tickets.batchUpsert([{ id: 'EXT-1', properties: {} }], { idProperty: 'external_ref' }),
    ).toEqualTypeOf<Promise<BulkReport<TicketUpsertInput, UpsertedTicket>>>();
  });
});

describe('the adapter and the mapper', () => {
  it('are typed with the generated types', () => {
    expectTypeOf(createTicketsBatchUpdateAdapter(client)).toEqualTypeOf<
      BulkAdapter<TicketUpdateInput, Ticket>
    >();
    expectTypeOf(mapTicketBatchResponse).returns.toEqualTypeOf<ItemResult<Ticket>[]>();
  });
});
