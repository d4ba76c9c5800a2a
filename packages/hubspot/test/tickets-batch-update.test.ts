import { createMemoryJournal, runBulk } from '@bulk-clients/core';
import { describe, expect, it } from 'vitest';
import {
  createHubSpotClient,
  createTicketsBatchUpdateAdapter,
  TICKETS_BATCH_UPDATE,
  type TicketUpdateInput,
} from '../src/index.js';
import { batchResult, TOKEN, ticket } from './fixtures.js';

interface Sent {
  inputs: TicketUpdateInput[];
}

type Answer = { status: number; body?: unknown; raw?: string; headers?: Record<string, string> };

/** A fetch that answers each batch update through `answer`, recording what was sent. */
function scriptedHubSpot(answer: (sent: Sent, call: number) => Answer) {
  const requests: Sent[] = [];
  const fetch = async (request: Request) => {
    const sent = (await request.json()) as Sent;
    requests.push(sent);
    const { status, body, raw, headers } = answer(sent, requests.length);
    return new Response(raw ?? (body === undefined ? null : JSON.stringify(body)), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  };
  const client = createHubSpotClient({
    token: TOKEN,
    baseUrl: 'http://127.0.0.1:4010',
    fetch,
    rateLimit: false,
  });
  return { client, requests };
}

const allWritten = (sent: Sent): Answer => ({
  status: 200,
  body: batchResult(sent.inputs.map((input) => ticket(input.id, input.properties))),
});

const update = (id: string, subject = `subject ${id}`): TicketUpdateInput => ({
  id,
  properties: { subject },
});

const fast = { retry: { minDelayMs: 0, maxDelayMs: 1 }, collect: true } as const;

describe('client.tickets.batchUpdate', () => {
  it('sends batches of at most 100 and returns the core report with each ticket', async () => {
    const { client, requests } = scriptedHubSpot(allWritten);
    const inputs = Array.from({ length: 250 }, (_, n) => update(String(n + 1)));
    const report = await client.tickets.batchUpdate(inputs, fast);
    expect(requests.map((r) => r.inputs.length)).toEqual([100, 100, 50]);
    expect(report).toMatchObject({
      operation: TICKETS_BATCH_UPDATE,
      total: 250,
      succeeded: 250,
      failed: 0,
      unknown: 0,
      skipped: 0,
      requests: 3,
    });
    expect(report.outcomes?.[41]?.value).toMatchObject({
      id: '42',
      properties: { subject: 'subject 42' },
    });
  });

  it('never sends one id twice in a batch: later inputs follow in later batches, in order', async () => {
    const { client, requests } = scriptedHubSpot(allWritten);
    const inputs = [update('1', 'a'), update('2'), update('1', 'b'), update('3'), update('1', 'c')];
    const report = await client.tickets.batchUpdate(inputs, { ...fast, concurrency: 1 });
    expect(requests.map((r) => r.inputs.map((i) => `${i.id}:${i.properties.subject}`))).toEqual([
      ['1:a', '2:subject 2', '3:subject 3'],
      ['1:b'],
      ['1:c'],
    ]);
    expect(report).toMatchObject({ succeeded: 5, failed: 0 });
  });

  it('fails inputs with non-string values before sending, naming field and record', async () => {
    const { client, requests } = scriptedHubSpot(allWritten);
    const inputs = [
      update('1'),
      { id: '2', properties: { hs_ticket_priority: 3 } } as unknown as TicketUpdateInput,
      { id: '3', properties: { content: '' } },
    ];
    const report = await client.tickets.batchUpdate(inputs, fast);
    expect(requests[0]?.inputs.map((i) => i.id)).toEqual(['1', '3']);
    expect(requests[0]?.inputs[1]?.properties).toEqual({ content: '' });
    expect(report.outcomes?.[1]).toMatchObject({
      status: 'failed',
      attempts: 0,
      error: {
        code: 'invalid_input',
        field: 'properties.hs_ticket_priority',
        message: expect.stringContaining('Input 1 (ticket 2)'),
      },
    });
  });

  it('applies the idProperty option to inputs that name none', async () => {
    const { client, requests } = scriptedHubSpot((sent) => ({
      status: 200,
      body: batchResult(
        sent.inputs.map((input, n) => ticket(String(n + 40), { external_ref: input.id })),
      ),
    }));
    const report = await client.tickets.batchUpdate(
      [update('EXT-1'), { ...update('7'), idProperty: 'hs_object_id' }],
      { ...fast, idProperty: 'external_ref' },
    );
    expect(requests[0]?.inputs).toEqual([
      { id: 'EXT-1', idProperty: 'external_ref', properties: { subject: 'subject EXT-1' } },
      { id: '7', idProperty: 'hs_object_id', properties: { subject: 'subject 7' } },
    ]);
    expect(report.outcomes?.map((o) => o.value?.id)).toEqual(['40', '41']);
  });

  it('fails the inputs a refused batch names and sends the others again', async () => {
    const { client, requests } = scriptedHubSpot((sent, call) =>
      call === 1
        ? {
            status: 400,
            body: {
              status: 'error',
              message: 'Property values were not valid',
              correlationId: 'c-1',
              category: 'VALIDATION_ERROR',
              context: { ids: ['2'] },
            },
          }
        : allWritten(sent),
    );
    const report = await client.tickets.batchUpdate([update('1'), update('2'), update('3')], fast);
    expect(requests.map((r) => r.inputs.map((i) => i.id))).toEqual([
      ['1', '2', '3'],
      ['1', '3'],
    ]);
    expect(report).toMatchObject({ succeeded: 2, failed: 1 });
    expect(report.outcomes?.[1]?.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      status: 400,
      message: 'Property values were not valid (ticket 2)',
    });
  });

  it('fails every input of a refused batch that names none, with HubSpot’s reason', async () => {
    const body = {
      status: 'error',
      message: 'Invalid input JSON',
      correlationId: 'c-2',
      category: 'VALIDATION_ERROR',
    };
    const { client } = scriptedHubSpot(() => ({ status: 400, body }));
    const report = await client.tickets.batchUpdate([update('1'), update('2')], fast);
    expect(report).toMatchObject({ failed: 2, requests: 1, retries: 0 });
    expect(report.outcomes?.[0]?.error).toMatchObject({
      code: 'bad_request',
      status: 400,
      vendor: body,
      message: expect.stringContaining('Invalid input JSON'),
    });
  });

  it.each([
    ['a body without results', { body: { status: 'COMPLETE' } }],
    ['an empty body', { body: undefined }],
    ['JSON cut short', { raw: '{"status":"COMPLETE","resu' }],
  ])('sends a batch again after %s, as its writes are unknown', async (_, broken) => {
    const { client, requests } = scriptedHubSpot((sent, call) =>
      call === 1 ? { status: 200, ...broken } : allWritten(sent),
    );
    const report = await client.tickets.batchUpdate([update('1')], fast);
    expect(requests).toHaveLength(2);
    expect(report).toMatchObject({ succeeded: 1, retries: 1 });
  });

  it('reports unknown when the answer stays unreadable', async () => {
    const { client } = scriptedHubSpot(() => ({ status: 200, body: { results: 'none' } }));
    const report = await client.tickets.batchUpdate([update('1')], {
      ...fast,
      retry: { retries: 2, minDelayMs: 0 },
    });
    expect(report).toMatchObject({ unknown: 1, requests: 3 });
    expect(report.outcomes?.[0]?.error?.code).toBe('invalid_response');
  });

  it.each([
    ['batchSize above 100', { batchSize: 101 }, /batchSize/],
    ['an empty idProperty', { idProperty: '' }, /idProperty/],
    ['a non-object', 'fast', /options/],
  ])('rejects %s with a TypeError naming it', async (_, options, message) => {
    const { client } = scriptedHubSpot(allWritten);
    await expect(client.tickets.batchUpdate([update('1')], options as never)).rejects.toThrow(
      TypeError,
    );
    await expect(client.tickets.batchUpdate([update('1')], options as never)).rejects.toThrow(
      message,
    );
  });
});

describe('createTicketsBatchUpdateAdapter', () => {
  it('runs under runBulk with a journal, and a rerun sends nothing again', async () => {
    const { client, requests } = scriptedHubSpot(allWritten);
    const adapter = createTicketsBatchUpdateAdapter(client);
    expect(adapter).toMatchObject({
      operation: TICKETS_BATCH_UPDATE,
      maxBatchSize: 100,
      idempotent: true,
    });
    const journal = createMemoryJournal();
    const inputs = Array.from({ length: 120 }, (_, n) => update(String(n + 1)));
    const first = await runBulk(inputs, adapter, { journal });
    const again = await runBulk(inputs, adapter, { journal });
    expect(first.succeeded).toBe(120);
    expect(again).toMatchObject({ succeeded: 120, resumed: 120, requests: 0 });
    expect(requests).toHaveLength(2);
  });

  it('rejects something that is not a client', () => {
    expect(() => createTicketsBatchUpdateAdapter({} as never)).toThrow(/client/);
  });
});
