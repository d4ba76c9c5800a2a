import { createRecordingFetch, type RecordedRequest } from '@bulk-clients/core/testing';
import { describe, expect, it } from 'vitest';
import { createHubSpotClient } from '../src/index.js';
import { batchResult, TOKEN, ticket } from './fixtures.js';

const fast = { retry: { minDelayMs: 0, maxDelayMs: 1 }, collect: true } as const;

/** HubSpot's whole-batch refusal for an invalid value: it names no input. */
const refusal = {
  status: 'error',
  message:
    'Property values were not valid: [{"isValid":false,"message":"bad stage","error":"INVALID_OPTION","name":"lifecyclestage"}]',
  correlationId: 'c-9',
  category: 'VALIDATION_ERROR',
  errors: [{ message: 'bad stage', code: 'INVALID_OPTION', in: 'lifecyclestage' }],
};

interface Body {
  inputs: { id?: string; properties: Record<string, string>; objectWriteTraceId?: string }[];
}

/** Refuses whole any batch holding a `bogus` value; writes the others. */
function refusingHubSpot() {
  const transport = createRecordingFetch((request: RecordedRequest) => {
    const { inputs } = request.body as Body;
    if (inputs.some((input) => input.properties.lifecyclestage === 'bogus')) {
      return { status: 400, body: refusal };
    }
    const created = request.url.pathname.endsWith('/create');
    return {
      status: created ? 201 : 200,
      body: batchResult(
        inputs.map((input, n) => ({
          ...ticket(input.id ?? `9${n}`, input.properties),
          ...(input.objectWriteTraceId ? { objectWriteTraceId: input.objectWriteTraceId } : {}),
        })),
      ),
    };
  });
  const client = createHubSpotClient({
    token: TOKEN,
    baseUrl: 'http://127.0.0.1:4010',
    fetch: transport.fetch,
    rateLimit: false,
  });
  return { client, requests: transport.requests };
}

const updates = (bad: readonly number[]) =>
  Array.from({ length: 100 }, (_, n) => ({
    id: String(n + 1),
    properties: { lifecyclestage: bad.includes(n) ? 'bogus' : 'lead' },
  }));

describe('a batch refused whole without naming its inputs', () => {
  it('ends with only the refused input failed, in about 2 x log2(100) more requests', async () => {
    const { client, requests } = refusingHubSpot();
    const report = await client.objects('contacts').batchUpdate(updates([36]), fast);
    expect(report).toMatchObject({ total: 100, succeeded: 99, failed: 1, unknown: 0 });
    expect(report.outcomes?.filter((o) => o.status === 'failed').map((o) => o.index)).toEqual([36]);
    expect(report.outcomes?.[36]?.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      status: 400,
      field: 'properties.lifecyclestage',
      message: expect.stringMatching(/^Property values were not valid.*\(contact 37\)$/),
    });
    expect(report.isolationRequests).toBe(14);
    expect(report.requests).toBe(1 + 14);
    expect(requests).toHaveLength(15);
    // Every good input was written once.
    const written = requests
      .filter((r) => !(r.body as Body).inputs.some((i) => i.properties.lifecyclestage === 'bogus'))
      .flatMap((r) => (r.body as Body).inputs.map((i) => i.id));
    expect(written.sort()).toEqual(
      updates([36])
        .filter((_, n) => n !== 36)
        .map((u) => u.id)
        .sort(),
    );
  });

  it('isolates several refused inputs of one batch', async () => {
    const { client } = refusingHubSpot();
    const report = await client.objects('deals').batchUpdate(updates([0, 50, 99]), fast);
    expect(report).toMatchObject({ succeeded: 97, failed: 3 });
    expect(report.outcomes?.filter((o) => o.status === 'failed').map((o) => o.index)).toEqual([
      0, 50, 99,
    ]);
  });

  it('fails the whole batch without splitting it when isolate is false', async () => {
    const { client, requests } = refusingHubSpot();
    const report = await client
      .objects('contacts')
      .batchUpdate(updates([36]), { ...fast, isolate: false });
    expect(report).toMatchObject({ failed: 100, requests: 1, isolationRequests: 0 });
    expect(requests).toHaveLength(1);
  });

  it('isolates a refused create without creating any other input twice', async () => {
    const { client, requests } = refusingHubSpot();
    const inputs = Array.from({ length: 10 }, (_, n) => ({
      properties: { email: `c${n}@example.com`, lifecyclestage: n === 3 ? 'bogus' : 'lead' },
    }));
    const report = await client.objects('contacts').batchCreate(inputs, fast);
    expect(report).toMatchObject({ succeeded: 9, failed: 1, unknown: 0 });
    expect(report.outcomes?.[3]?.error?.message).toMatch(/\(new contact, input 3\)$/);
    const created = requests
      .filter((r) => !(r.body as Body).inputs.some((i) => i.properties.lifecyclestage === 'bogus'))
      .flatMap((r) => (r.body as Body).inputs.map((i) => i.properties.email));
    expect(created).toHaveLength(9);
    expect(new Set(created).size).toBe(9);
  });
});
