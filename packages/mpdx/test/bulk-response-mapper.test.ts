import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MpdxBulkResponseError } from '../src/index.js';
import {
  fieldOfPointer,
  mapNotificationPreferencesBulkResponse,
  type SentNotificationPreference,
} from '../src/internal.js';

const ids = [
  '6333be88-4c01-4a85-99ce-f6aa964e6340',
  '7d3a1f50-2b8e-4c9d-a1f0-3e5b7c9d1a20',
  'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
];
const sent: SentNotificationPreference[] = ids.map((id, at) => ({
  index: 40 + at,
  id,
  generatedId: at !== 1,
}));

function created(id: string) {
  return {
    data: {
      id,
      type: 'notification_preferences',
      attributes: { app: true, email: false, task: false },
      relationships: { notification_type: { data: { id: 'type-1', type: 'notification_type' } } },
    },
  };
}

function refused(status: number, detail: string, id?: string, pointer?: string) {
  return {
    errors: [{ status: String(status), title: 'Refused', detail, source: { pointer } }],
    ...(id === undefined ? {} : { id }),
  };
}

const kinds = (results: { kind: string }[]) => results.map((result) => result.kind);

describe('mapNotificationPreferencesBulkResponse', () => {
  it('maps created elements in request order', () => {
    const results = mapNotificationPreferencesBulkResponse(sent, ids.map(created));
    expect(results).toEqual(
      ids.map((id) => ({
        kind: 'succeeded',
        value: { id, created: true, preference: created(id).data },
      })),
    );
  });

  it('maps elements by id when they come back in another order', () => {
    const body = [created(ids[2]!), refused(404, 'No such type', ids[0]), created(ids[1]!)];
    const results = mapNotificationPreferencesBulkResponse(sent, body);
    expect(kinds(results)).toEqual(['failed', 'succeeded', 'succeeded']);
    expect(results[1]).toMatchObject({ value: { id: ids[1] } });
    expect(results[2]).toMatchObject({ value: { id: ids[2] } });
  });

  it('keeps the vendor reason, status, field and raw element of a refused record', () => {
    const element = refused(
      404,
      'No notification type with id x.',
      ids[0],
      '/data/0/data/relationships/notification_type/data/id',
    );
    const [result] = mapNotificationPreferencesBulkResponse(sent.slice(0, 1), [element]);
    expect(result).toEqual({
      kind: 'failed',
      error: {
        code: 'not_found',
        status: 404,
        field: 'notificationTypeId',
        message: `Record 40 (id ${ids[0]}): notificationTypeId: No notification type with id x.`,
        vendor: element,
        definite: true,
      },
    });
  });

  it('places an error without an id by its pointer, else by its position', () => {
    const body = [
      created(ids[0]!),
      refused(400, 'attributes must be an object.', undefined, '/data/2/data/attributes'),
      refused(400, 'Each member must wrap a resource object in data.'),
    ];
    const results = mapNotificationPreferencesBulkResponse(sent, body);
    expect(kinds(results)).toEqual(['succeeded', 'resend', 'failed']);
    expect(results[2]).toMatchObject({
      error: { code: 'bad_request', field: 'attributes', vendor: body[1] },
    });
  });

  describe.each([
    { name: 'an id derived by the run', at: 0, kind: 'succeeded' },
    { name: 'an id the caller gave', at: 1, kind: 'failed' },
  ])('a 409 for $name', ({ at, kind }) => {
    it(`is ${kind} by default`, () => {
      const body = ids.map((id) =>
        refused(409, `A notification preference with id ${id} already exists.`, id),
      );
      const result = mapNotificationPreferencesBulkResponse(sent, body)[at]!;
      expect(result.kind).toBe(kind);
      if (result.kind === 'succeeded') {
        expect(result.value).toEqual({ id: ids[at], created: false, preference: undefined });
      } else {
        expect(result).toMatchObject({ error: { code: 'conflict', status: 409 } });
      }
    });
  });

  it('asks alreadyCreated whether a 409 means created by an earlier attempt', () => {
    const body = ids.map((id) => refused(409, 'exists', id));
    const results = mapNotificationPreferencesBulkResponse(sent, body, {
      alreadyCreated: (record) => record.index === 41,
    });
    expect(kinds(results)).toEqual(['failed', 'succeeded', 'failed']);
  });

  describe.each([
    { name: 'a missing element', body: [created(ids[0]!), created(ids[1]!)] },
    { name: 'an unreadable element', body: [created(ids[0]!), created(ids[1]!), 'oops'] },
    { name: 'an element without data', body: [created(ids[0]!), created(ids[1]!), { meta: {} }] },
    {
      name: 'an element of another resource type',
      body: [created(ids[0]!), created(ids[1]!), { data: { id: ids[2], type: 'people' } }],
    },
    {
      name: 'an element for an id that was not sent',
      body: [created(ids[0]!), created(ids[1]!), created('ffffffff-0000-4000-8000-000000000000')],
    },
    {
      name: 'a 503 element',
      body: [created(ids[0]!), created(ids[1]!), refused(503, 'busy', ids[2])],
    },
  ])('$name', ({ body }) => {
    it('asks for the record to be sent again', () => {
      expect(kinds(mapNotificationPreferencesBulkResponse(sent, body))).toEqual([
        'succeeded',
        'succeeded',
        'resend',
      ]);
    });
  });

  it('uses an element for one record at most', () => {
    const twice: SentNotificationPreference[] = [sent[0]!, { ...sent[0]!, index: 41 }];
    const results = mapNotificationPreferencesBulkResponse(twice, [created(ids[0]!)]);
    expect(kinds(results)).toEqual(['succeeded', 'resend']);
  });

  it('reports a refusal without a readable status or reason as refused', () => {
    const [result] = mapNotificationPreferencesBulkResponse(sent.slice(0, 1), [
      { errors: [{ status: 'teapot' }], id: ids[0] },
    ]);
    expect(result).toMatchObject({
      kind: 'failed',
      error: {
        code: 'refused',
        status: undefined,
        message: expect.stringContaining('without saying why'),
      },
    });
  });

  describe.each([
    { name: 'an object', body: { errors: [] } },
    { name: 'null', body: null },
    { name: 'nothing', body: undefined },
    { name: 'text', body: '<html>' },
  ])('a body that is $name instead of an array', ({ body }) => {
    it('throws MpdxBulkResponseError with the body', () => {
      let thrown: unknown;
      try {
        mapNotificationPreferencesBulkResponse(sent, body);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(MpdxBulkResponseError);
      expect(thrown).toMatchObject({ code: 'invalid_response', body });
    });
  });
});

describe('fieldOfPointer', () => {
  it.each([
    ['/data/0/data/id', 'id'],
    ['/data/3/data/relationships/notification_type/data/id', 'notificationTypeId'],
    ['/data/3/data/relationships/notification_type/data', 'notificationTypeId'],
    ['/data/1/data/attributes/email', 'email'],
    ['/data/1/data/type', 'type'],
    ['/data/1/data/attributes', 'attributes'],
    ['/data/1', undefined],
    ['/data', '/data'],
    [undefined, undefined],
  ])('%s names %s', (pointer, field) => {
    expect(fieldOfPointer(pointer)).toBe(field);
  });
});

// Random responses, from well-formed to nonsense: the mapper answers each sent record exactly
// once, in order, and never gives one record another record's element.
describe('mapNotificationPreferencesBulkResponse on random responses', () => {
  const records = fc
    .uniqueArray(fc.uuid(), { minLength: 1, maxLength: 25 })
    .chain((uuids) =>
      fc.tuple(
        fc.constant(uuids),
        fc.array(fc.boolean(), { minLength: uuids.length, maxLength: uuids.length }),
      ),
    )
    .map(([uuids, generated]) =>
      uuids.map((id, at) => ({ index: at * 3 + 7, id, generatedId: generated[at]! })),
    );

  // Records whose ids sometimes repeat (possible when the duplicate check is off).
  const recordsWithRepeats = records.chain((unique) =>
    fc
      .array(fc.nat(), { minLength: unique.length, maxLength: unique.length })
      .map((picks) =>
        unique.map((record, at) =>
          picks[at]! % 4 === 0 ? { ...record, id: unique[picks[at]! % (at + 1)]!.id } : record,
        ),
      ),
  );

  const status = fc.constantFrom(400, 404, 409, 422, 429, 500, 503, 'x', undefined);
  const elementFor = (id: string, position: number) =>
    fc.oneof(
      fc.constant(created(id)),
      fc.tuple(status, fc.boolean()).map(([code, withId]) => ({
        errors: [
          { status: code === undefined ? undefined : String(code), title: 'T', detail: 'D' },
        ],
        ...(withId ? { id } : {}),
      })),
      fc.constant(refused(400, 'bad', undefined, `/data/${position}/data/type`)),
      fc.jsonValue(),
    );

  const response = recordsWithRepeats.chain((sentRecords) =>
    fc.tuple(
      fc.constant(sentRecords),
      fc.oneof(
        // One element per record, then shuffled, dropped, duplicated or padded.
        fc
          .tuple(
            fc.tuple(...sentRecords.map((record, at) => elementFor(record.id, at))),
            fc.array(fc.nat(), { maxLength: 5 }),
            fc.array(fc.jsonValue(), { maxLength: 3 }),
            fc.boolean(),
            fc.nat(),
          )
          .map(([elements, duplicates, extra, reverse, drop]) => {
            const body: unknown[] = [...elements];
            for (const at of duplicates) body.push(structuredClone(elements[at % elements.length]));
            body.push(...extra);
            if (reverse) body.reverse();
            body.splice(drop % (body.length + 1), drop % 3);
            return body.map((element) => structuredClone(element));
          }),
        fc.array(fc.jsonValue(), { maxLength: 30 }),
        fc.jsonValue(),
      ),
    ),
  );

  it('returns one result per record, in order, each element used once', () => {
    fc.assert(
      fc.property(response, ([sentRecords, body]) => {
        let results: ReturnType<typeof mapNotificationPreferencesBulkResponse>;
        try {
          results = mapNotificationPreferencesBulkResponse(sentRecords, body);
        } catch (error) {
          expect(error).toBeInstanceOf(MpdxBulkResponseError);
          expect(Array.isArray(body)).toBe(false);
          return;
        }
        expect(Array.isArray(body)).toBe(true);
        expect(results).toHaveLength(sentRecords.length);
        const usedElements = new Set<unknown>();
        results.forEach((result, at) => {
          const record = sentRecords[at]!;
          expect(['succeeded', 'failed', 'resend']).toContain(result.kind);
          let element: unknown;
          if (result.kind === 'succeeded') {
            expect(result.value.id).toBe(record.id);
            if (result.value.created) {
              expect(result.value.preference?.id).toBe(record.id);
              element = result.value.preference;
            }
          } else if (result.kind === 'failed') {
            expect(result.error.message).toContain(`Record ${record.index} (id ${record.id})`);
            element = result.error.vendor;
            const carried = (element as { id?: unknown }).id;
            if (typeof carried === 'string') expect(carried).toBe(record.id);
          }
          if (element !== undefined) {
            expect(usedElements.has(element)).toBe(false);
            usedElements.add(element);
          }
        });
      }),
      { numRuns: 500 },
    );
  });

  it('gives every record its own result when the response is well formed, in any order', () => {
    fc.assert(
      fc.property(
        records.chain((sentRecords) =>
          fc.tuple(
            fc.constant(sentRecords),
            fc.shuffledSubarray(
              sentRecords.map((record, at) =>
                at % 2 === 0 ? created(record.id) : refused(404, 'no type', record.id),
              ),
              { minLength: sentRecords.length, maxLength: sentRecords.length },
            ),
          ),
        ),
        ([sentRecords, body]) => {
          const results = mapNotificationPreferencesBulkResponse(sentRecords, body);
          expect(kinds(results)).toEqual(
            sentRecords.map((_, at) => (at % 2 === 0 ? 'succeeded' : 'failed')),
          );
        },
      ),
    );
  });
});
