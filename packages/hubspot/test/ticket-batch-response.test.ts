import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchItemError, Ticket, TicketUpdateInput } from '../src/index.js';
import {
  InvalidBatchResponseError,
  mapTicketBatchRejection,
  mapTicketBatchResponse,
} from '../src/internal.js';
import { batchResult, ticket } from './fixtures.js';

const byId = (id: string, properties: Record<string, string> = { subject: `s${id}` }) => ({
  id,
  properties,
});
const byRef = (ref: string, properties: Record<string, string> = { subject: `s${ref}` }) => ({
  id: ref,
  idProperty: 'external_ref',
  properties,
});

function standardError(
  category: string,
  message: string,
  ids: unknown,
  details: BatchItemError['errors'] = [],
): BatchItemError {
  return {
    status: 'error',
    category,
    message,
    context: { ids } as BatchItemError['context'],
    errors: details,
    links: {},
  };
}

function withErrors(results: Ticket[], errors: unknown[]) {
  return { ...batchResult(results), errors, numErrors: errors.length };
}

describe('mapTicketBatchResponse', () => {
  it('maps a 200 to one success per input, each with its own ticket', () => {
    const inputs = [byId('3'), byId('1'), byId('2')];
    const results = [ticket('1'), ticket('2'), ticket('3')];
    const mapped = mapTicketBatchResponse(inputs, batchResult(results), 200);
    expect(mapped.map((r) => (r.kind === 'succeeded' ? r.value.id : r.kind))).toEqual([
      '3',
      '1',
      '2',
    ]);
  });

  it('fails exactly the inputs a 207 names, with the vendor reason', () => {
    const inputs = [byId('512'), byId('999999'), byId('514', { hs_object_id: '1' })];
    const notFound = standardError(
      'OBJECT_NOT_FOUND',
      'Could not get some TICKET objects, they may be deleted or not exist: 999999',
      ['999999'],
    );
    const readOnly = standardError(
      'VALIDATION_ERROR',
      'Property "hs_object_id" is read-only and cannot be set',
      ['514'],
      [{ message: 'read-only', code: 'READ_ONLY_VALUE', in: 'hs_object_id' }],
    );
    const mapped = mapTicketBatchResponse(
      inputs,
      withErrors([ticket('512')], [notFound, readOnly]),
      207,
    );
    expect(mapped[0]).toEqual({ kind: 'succeeded', value: ticket('512') });
    expect(mapped[1]).toEqual({
      kind: 'failed',
      error: {
        code: 'OBJECT_NOT_FOUND',
        message: notFound.message,
        field: undefined,
        status: 207,
        vendor: notFound,
        definite: true,
      },
    });
    expect(mapped[2]).toEqual({
      kind: 'failed',
      error: {
        code: 'VALIDATION_ERROR',
        message: 'Property "hs_object_id" is read-only and cannot be set (ticket 514)',
        field: 'properties.hs_object_id',
        status: 207,
        vendor: readOnly,
        definite: true,
      },
    });
  });

  it.each([
    ['keeps a message that already names the record', 'EXT-1 is taken', 'EXT-1 is taken'],
    [
      'names the record by its unique property otherwise',
      'Value already taken',
      'Value already taken (ticket with external_ref "EXT-1")',
    ],
  ])('%s', (_, vendorMessage, expected) => {
    const [result] = mapTicketBatchResponse(
      [byRef('EXT-1')],
      withErrors([], [standardError('CONFLICT', vendorMessage, ['EXT-1'])]),
      207,
    );
    expect(result).toMatchObject({
      kind: 'failed',
      error: { code: 'CONFLICT', message: expected },
    });
  });

  it('matches inputs by unique property to the ticket holding that value', () => {
    const inputs = [byRef('EXT-7'), byRef('EXT-3')];
    const results = [
      ticket('3', { external_ref: 'EXT-3', subject: 'sEXT-3' }),
      ticket('7', { external_ref: 'EXT-7', subject: 'sEXT-7' }),
    ];
    const mapped = mapTicketBatchResponse(inputs, batchResult(results), 200);
    expect(mapped.map((r) => r.kind === 'succeeded' && r.value.id)).toEqual(['7', '3']);
  });

  it('matches inputs by unique property to results whose written values agree', () => {
    const inputs = [byRef('EXT-7', { subject: 'seven' }), byRef('EXT-3', { subject: 'three' })];
    const results = [ticket('3', { subject: 'three' }), ticket('7', { subject: 'seven' })];
    const mapped = mapTicketBatchResponse(inputs, batchResult(results), 200);
    expect(mapped.map((r) => r.kind === 'succeeded' && r.value.id)).toEqual(['7', '3']);
  });

  it('treats a cleared value returned as null as agreeing', () => {
    const inputs = [byRef('EXT-7', { content: '' })];
    const mapped = mapTicketBatchResponse(
      inputs,
      batchResult([ticket('7', { content: null })]),
      200,
    );
    expect(mapped[0]).toMatchObject({ kind: 'succeeded', value: { id: '7' } });
  });

  it('sends again an input that is neither named in errors nor in results', () => {
    const inputs = [byId('1'), byId('2')];
    const mapped = mapTicketBatchResponse(inputs, batchResult([ticket('1')]), 200);
    expect(mapped).toEqual([{ kind: 'succeeded', value: ticket('1') }, { kind: 'resend' }]);
  });

  it('never gives an input the result that carries another input id', () => {
    const inputs = [byId('1'), byRef('EXT-2')];
    const body = withErrors([ticket('1')], [standardError('X', 'no', ['1'])]);
    const mapped = mapTicketBatchResponse(inputs, body, 207);
    expect(mapped[0]).toMatchObject({ kind: 'failed' });
    expect(mapped[1]).toEqual({ kind: 'resend' });
  });

  it('gives inputs that share an id the results of that id in order, each once', () => {
    const first = ticket('7', { subject: 'first' });
    const second = ticket('7', { subject: 'second' });
    const inputs = [byId('7'), byId('8'), byId('7'), byId('7')];
    const mapped = mapTicketBatchResponse(inputs, batchResult([ticket('8'), first, second]), 200);
    expect(mapped).toEqual([
      { kind: 'succeeded', value: first },
      { kind: 'succeeded', value: ticket('8') },
      { kind: 'succeeded', value: second },
      { kind: 'resend' },
    ]);
  });

  it('gives a result to one input only when inputs repeat an id', () => {
    const mapped = mapTicketBatchResponse([byId('7'), byId('7')], batchResult([ticket('7')]), 200);
    expect(mapped).toEqual([{ kind: 'succeeded', value: ticket('7') }, { kind: 'resend' }]);
  });

  it('keeps the first error for an input named twice', () => {
    const body = withErrors(
      [],
      [standardError('A', 'first', ['1']), standardError('B', 'x', ['1'])],
    );
    expect(mapTicketBatchResponse([byId('1')], body, 207)[0]).toMatchObject({
      error: { code: 'A' },
    });
  });

  it.each([
    ['null', null],
    ['a string', 'oops'],
    ['an object without results', { status: 'COMPLETE' }],
    ['results that are not an array', { results: {} }],
    ['errors that are not an array', { results: [], errors: {} }],
  ])('throws an InvalidBatchResponseError for %s', (_, body) => {
    expect(() => mapTicketBatchResponse([byId('1')], body, 200)).toThrow(InvalidBatchResponseError);
  });
});

describe('mapTicketBatchRejection', () => {
  it('fails the named inputs and sends the others again', () => {
    const body = {
      status: 'error',
      message: 'Duplicate IDs found in batch input: [2]. IDs must be unique',
      correlationId: 'c',
      category: 'VALIDATION_ERROR',
      context: { ids: ['2'] },
    };
    const mapped = mapTicketBatchRejection([byId('1'), byId('2'), byId('3')], body, 400);
    expect(mapped?.map((r) => r.kind)).toEqual(['resend', 'failed', 'resend']);
    expect(mapped?.[1]).toMatchObject({
      error: { code: 'VALIDATION_ERROR', status: 400, vendor: body },
    });
  });

  it.each([
    ['names no input', { message: 'bad', category: 'VALIDATION_ERROR', context: { ids: ['9'] } }],
    ['has no context', { message: 'bad', category: 'VALIDATION_ERROR' }],
    ['is not JSON', 'Bad Request'],
  ])('leaves the batch to fail whole when the error %s', (_, body) => {
    expect(mapTicketBatchRejection([byId('1')], body, 400)).toBeUndefined();
  });
});

// Property test: whatever HubSpot (or a proxy) answers, every input gets exactly one result, in
// order, and no returned ticket is handed to two inputs.
const idArb = fc.oneof(
  fc.integer({ min: 1, max: 60 }).map(String),
  fc.integer({ min: 1, max: 60 }).map((n) => `EXT-${n}`),
);
const inputsArb = fc
  .uniqueArray(idArb, { minLength: 1, maxLength: 30 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.record({
          id: fc.constant(id),
          properties: fc.dictionary(
            fc.constantFrom('subject', 'content', 'hs_ticket_priority'),
            fc.constantFrom('', 'a', 'b'),
          ),
          idProperty: id.startsWith('EXT-')
            ? fc.constant('external_ref' as string | undefined)
            : fc.constant(undefined),
        }),
      ),
    ),
  )
  .map((inputs) =>
    inputs.map(
      ({ idProperty, ...input }): TicketUpdateInput =>
        idProperty === undefined ? input : { ...input, idProperty },
    ),
  );

const junk = fc.oneof(
  fc.constant(null),
  fc.string(),
  fc.integer(),
  fc.record({ id: fc.integer() }),
  fc.anything(),
);

function responseArb(inputs: TicketUpdateInput[]) {
  const anyId = fc.oneof(fc.constantFrom(...inputs.map((i) => i.id)), idArb, fc.string());
  const resultArb = fc.oneof(
    { weight: 6, arbitrary: anyId.map((id) => ticket(id) as unknown) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: 60 }), fc.constantFrom(...inputs))
        .map(([n, input]) => ticket(String(n), { external_ref: input.id, ...input.properties })),
    },
    { weight: 1, arbitrary: junk },
  );
  const errorArb = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.string(), fc.array(anyId, { maxLength: 5 }))
        .map(([message, ids]) => standardError('VALIDATION_ERROR', message, ids) as unknown),
    },
    {
      weight: 1,
      arbitrary: fc.record({ context: fc.oneof(fc.constant(null), fc.record({ ids: junk })) }),
    },
    { weight: 1, arbitrary: junk },
  );
  return fc.record(
    {
      status: fc.constantFrom('COMPLETE', 'PENDING'),
      results: fc.array(resultArb, { maxLength: 40 }),
      errors: fc.array(errorArb, { maxLength: 6 }),
    },
    { requiredKeys: ['status', 'results'] },
  );
}

function namedIds(body: { errors?: unknown[] }): Set<string> {
  const named = new Set<string>();
  for (const entry of body.errors ?? []) {
    const ids = (entry as { context?: { ids?: unknown } } | null)?.context?.ids;
    if (Array.isArray(ids)) for (const id of ids) if (typeof id === 'string') named.add(id);
  }
  return named;
}

describe('mapTicketBatchResponse on random answers', () => {
  it('gives exactly one result per input and hands no ticket to two inputs', () => {
    fc.assert(
      fc.property(
        inputsArb.chain((inputs) => fc.tuple(fc.constant(inputs), responseArb(inputs))),
        fc.constantFrom(200, 207),
        ([inputs, body], status) => {
          const mapped = mapTicketBatchResponse(inputs, body, status);
          expect(mapped).toHaveLength(inputs.length);
          const named = namedIds(body);
          const handedOut = new Set<unknown>();
          mapped.forEach((result, position) => {
            const input = inputs[position]!;
            expect(['succeeded', 'failed', 'resend']).toContain(result.kind);
            if (named.has(input.id)) {
              expect(result.kind).toBe('failed');
            }
            if (result.kind === 'failed') {
              expect(named.has(input.id)).toBe(true);
              expect(result.error.status).toBe(status);
            }
            if (result.kind === 'succeeded') {
              expect(handedOut.has(result.value)).toBe(false);
              handedOut.add(result.value);
              expect((body.results as unknown[]).includes(result.value)).toBe(true);
              if (input.idProperty === undefined && result.value.id !== input.id) {
                // Only a result no input claims by id may go to another input.
                expect(inputs.some((other) => other.id === result.value.id)).toBe(false);
              }
            }
          });
          // An input by ticket id whose own result came back, and that no error names, succeeds.
          inputs.forEach((input, position) => {
            const own = (body.results as unknown[]).some(
              (r) => (r as Ticket | null)?.id === input.id,
            );
            if (input.idProperty === undefined && own && !named.has(input.id)) {
              expect(mapped[position]!.kind).toBe('succeeded');
            }
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('either throws InvalidBatchResponseError or still answers once per input on any body', () => {
    fc.assert(
      fc.property(inputsArb, fc.anything(), (inputs, body) => {
        try {
          expect(mapTicketBatchResponse(inputs, body, 200)).toHaveLength(inputs.length);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidBatchResponseError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('maps any 400 body to nothing or to exactly one result per input', () => {
    fc.assert(
      fc.property(
        inputsArb,
        fc.oneof(
          fc.anything(),
          fc
            .array(idArb)
            .map((ids) => ({ message: 'm', category: 'VALIDATION_ERROR', context: { ids } })),
        ),
        (inputs, body) => {
          const mapped = mapTicketBatchRejection(inputs, body, 400);
          if (mapped !== undefined) {
            expect(mapped).toHaveLength(inputs.length);
            expect(mapped.some((r) => r.kind === 'failed')).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('mapTicketBatchResponse on answers in input order', () => {
  const answers = fc
    .uniqueArray(fc.integer({ min: 1, max: 999 }).map(String), { minLength: 1, maxLength: 20 })
    .chain((ids) =>
      fc.tuple(
        fc.constant(ids),
        fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }),
        fc.nat({ max: ids.length - 1 }),
      ),
    );

  it('maps an answer in input order as it maps the same tickets in any order', () => {
    fc.assert(
      fc.property(answers, ([ids, shuffled, dropped]) => {
        const inputs = ids.map((id) => byId(id));
        const inOrder = mapTicketBatchResponse(
          inputs,
          batchResult(ids.map((id) => ticket(id))),
          200,
        );
        const other = mapTicketBatchResponse(
          inputs,
          batchResult(shuffled.map((id) => ticket(id))),
          200,
        );
        expect(inOrder).toEqual(other);
        expect(inOrder.map((r) => (r.kind === 'succeeded' ? r.value.id : r.kind))).toEqual(ids);
        // One ticket missing: that input alone is sent again, wherever the others are listed.
        const partial = ids.filter((_, at) => at !== dropped);
        const mapped = mapTicketBatchResponse(
          inputs,
          batchResult(partial.map((id) => ticket(id))),
          200,
        );
        expect(mapped.map((r) => r.kind)).toEqual(
          ids.map((_, at) => (at === dropped ? 'resend' : 'succeeded')),
        );
      }),
    );
  });

  it('matches an input by unique property even when the answer lists tickets in input order', () => {
    const inputs = [byId('1'), byRef('EXT-2')];
    const body = batchResult([ticket('1'), ticket('EXT-2', { external_ref: 'EXT-9' })]);
    const mapped = mapTicketBatchResponse(inputs, body, 200);
    expect(mapped).toEqual([{ kind: 'succeeded', value: ticket('1') }, { kind: 'resend' }]);
  });
});
