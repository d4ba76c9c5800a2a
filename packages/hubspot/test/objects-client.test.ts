import { createRecordingFetch, type RecordedRequest } from '@bulk-clients/core/testing';
import { describe, expect, it } from 'vitest';
import { createHubSpotClient, type HubSpotApiVersion, type ObjectType } from '../src/index.js';
import { batchResult, TOKEN, ticket } from './fixtures.js';

const fast = { retry: { minDelayMs: 0, maxDelayMs: 1 }, collect: true } as const;

interface Inputs {
  inputs: { id?: string; properties?: Record<string, string>; objectWriteTraceId?: string }[];
}

function hubspot(
  answer: (request: RecordedRequest, call: number) => { status: number; body?: unknown },
  apiVersion?: HubSpotApiVersion,
) {
  let calls = 0;
  const transport = createRecordingFetch((request) => answer(request, ++calls));
  const client = createHubSpotClient({
    token: TOKEN,
    baseUrl: 'http://127.0.0.1:4010',
    fetch: transport.fetch,
    rateLimit: false,
    ...(apiVersion ? { apiVersion } : {}),
  });
  return { client, requests: transport.requests };
}

const written = (request: RecordedRequest) => ({
  status: 200,
  body: batchResult(
    (request.body as Inputs).inputs.map((input) => ticket(input.id!, input.properties)),
  ),
});

describe('objects(type)', () => {
  describe.each([
    ['v3', undefined, '/crm/v3/objects/contacts/batch/update'],
    ['v3', 'v3', '/crm/v3/objects/contacts/batch/update'],
    ['2026-03', '2026-03', '/crm/objects/2026-03/contacts/batch/update'],
  ] as const)('at %s', (_, apiVersion, path) => {
    it(`writes every update through ${path}`, async () => {
      const { client, requests } = hubspot(written, apiVersion);
      const inputs = Array.from({ length: 150 }, (_, n) => ({
        id: String(n + 1),
        properties: { lifecyclestage: 'customer' },
      }));
      const report = await client.objects('contacts').batchUpdate(inputs, fast);
      expect(requests.map((r) => r.url.pathname)).toEqual([path, path]);
      expect(report).toMatchObject({
        operation: 'hubspot.contacts.batchUpdate',
        succeeded: 150,
        requests: 2,
        isolationRequests: 0,
      });
    });
  });

  it.each([
    ['deals', 'upsert', '/crm/objects/2026-03/deals/batch/upsert'],
    ['2-12345', 'archive', '/crm/objects/2026-03/2-12345/batch/archive'],
    ['p_cars', 'update', '/crm/objects/2026-03/p_cars/batch/update'],
  ] as const)('sends %s %s to %s', async (objectType, action, path) => {
    const { client, requests } = hubspot(
      (request) => (action === 'archive' ? { status: 204 } : written(request)),
      '2026-03',
    );
    const objects = client.objects(objectType);
    const report =
      action === 'archive'
        ? await objects.batchArchive([{ id: '7' }], fast)
        : action === 'upsert'
          ? await objects.batchUpsert([{ id: '7', properties: { dealname: 'x' } }], fast)
          : await objects.batchUpdate([{ id: '7', properties: { color: 'red' } }], fast);
    expect(requests[0]?.url.pathname).toBe(path);
    expect(report.succeeded).toBe(1);
  });

  it.each([
    ['owners', /no CRM batch endpoints/],
    ['feedback_submissions', /read-only/],
    ['2-abc', /not a custom object type id/],
    ['p_', /not a custom object name/],
    ['contact', /not a HubSpot object type/],
    ['', /non-empty string/],
  ])('refuses %j with a TypeError naming objectType', (objectType, message) => {
    const { client } = hubspot(written);
    expect(() => client.objects(objectType as ObjectType)).toThrow(TypeError);
    expect(() => client.objects(objectType as ObjectType)).toThrow(/`objectType`/);
    expect(() => client.objects(objectType as ObjectType)).toThrow(message);
  });

  it('refuses an unknown apiVersion with a TypeError naming it', () => {
    expect(() =>
      createHubSpotClient({ token: TOKEN, apiVersion: '2025-01' as HubSpotApiVersion }),
    ).toThrow(/`apiVersion`.*v3, 2026-03/);
  });

  it('streams batch reads 100 ids at a time, 50 with history, reporting missing ids', async () => {
    const { client, requests } = hubspot((request) => {
      const body = request.body as { inputs: { id: string }[] };
      const found = body.inputs.filter((input) => input.id !== '13');
      const missing = body.inputs.length - found.length;
      return {
        status: missing ? 207 : 200,
        body: {
          ...batchResult(found.map((input) => ticket(input.id, { email: `${input.id}@x` }))),
          ...(missing
            ? {
                errors: [
                  {
                    status: 'error',
                    category: 'OBJECT_NOT_FOUND',
                    message: 'Could not get some CONTACT objects: 13',
                    context: { ids: ['13'] },
                  },
                ],
                numErrors: 1,
              }
            : {}),
        },
      };
    });
    const ids = Array.from({ length: 120 }, (_, n) => String(n + 1));
    const dropped: string[] = [];
    const read: string[] = [];
    for await (const contact of client.objects('contacts').batchRead(ids, {
      properties: ['email'],
      onDrop: (outcome) => dropped.push(`${outcome.item}: ${outcome.error?.code}`),
    })) {
      read.push(contact.id);
    }
    expect(requests.map((r) => (r.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 20]);
    expect(requests[0]?.url.pathname).toBe('/crm/v3/objects/contacts/batch/read');
    expect(read).toHaveLength(119);
    expect(dropped).toEqual(['13: OBJECT_NOT_FOUND']);

    requests.length = 0;
    const history = client.objects('contacts').batchRead(ids.slice(0, 60), {
      propertiesWithHistory: ['lifecyclestage'],
    });
    for await (const _ of history) {
      // drain
    }
    expect(requests.map((r) => (r.body as { inputs: unknown[] }).inputs.length)).toEqual([50, 10]);
  });
});
