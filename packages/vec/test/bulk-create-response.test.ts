import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Certificate } from '../src/index.js';
import {
  type EntryFields,
  fieldOfMessage,
  mapBulkRejection,
  matchBatchCertificates,
  parseEntryErrors,
  showsAllFilesUsed,
} from '../src/internal.js';

const entry = (n: number): EntryFields => ({
  certificate_title: `Course ${n}`,
  full_name: `Learner ${n}`,
  applicant_email: `learner${n}@example.com`,
});

const certificate = (id: number, fields: EntryFields, status: string): Certificate =>
  ({
    id,
    uuid: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    reference_id: `VC-2025-${String(id).padStart(6, '0')}`,
    certificate_title: fields.certificate_title,
    full_name: fields.full_name,
    applicant_email: fields.applicant_email,
    source: { value: 'bulk_upload', label: 'Bulk upload' },
    status: {
      value: status,
      label: status,
      color: 'gray',
      icon: 'x',
      description: `It is ${status}.`,
    },
    issue_date: null,
    batch_id: '8f7d6e5c-4b3a-4910-a987-b654c321d000',
    created_at: '2025-06-01T09:30:00.000000Z',
    updated_at: '2025-06-01T09:30:00.000000Z',
  }) as Certificate;

describe('mapBulkRejection', () => {
  it('fails the named entries and re-sends the others', () => {
    const body = {
      message: '2 of 4 entries are invalid',
      errors: [
        'Entry 1: applicant_email not-an-email is not a valid email address',
        'Entry 3: file_id 9e3b101f-c264-4f97-945f-20dfa7163768 not found',
      ],
    };
    const results = mapBulkRejection(body, [10, 11, 12, 13]);
    expect(results.map((result) => result.kind)).toEqual(['resend', 'failed', 'resend', 'failed']);
    expect(results[1]).toMatchObject({
      error: {
        code: 'validation_failed',
        field: 'applicant_email',
        status: 422,
        message: 'Record 11: applicant_email not-an-email is not a valid email address',
        vendor: ['Entry 1: applicant_email not-an-email is not a valid email address'],
      },
    });
    expect(results[3]).toMatchObject({ error: { code: 'file_id_not_found', field: 'file_id' } });
  });

  it('joins several messages about one entry', () => {
    const body = {
      errors: [
        'Entry 0: full_name is required',
        'Entry 0: certificate_title must not be greater than 255 characters',
      ],
    };
    const [result] = mapBulkRejection(body, [7]);
    expect(result).toMatchObject({
      kind: 'failed',
      error: {
        field: 'full_name',
        message:
          'Record 7: full_name is required; certificate_title must not be greater than 255 characters',
      },
    });
  });

  describe.each([
    ['file_id x is already used by entry 0', 'file_id_duplicate'],
    ['file_id x has already been used by another certificate', 'file_id_already_used'],
    ['file_id x not found', 'file_id_not_found'],
    ['issue_date must be a date in the format YYYY-MM-DD', 'validation_failed'],
  ])('the message "%s"', (message, code) => {
    it(`gives the code ${code}`, () => {
      const [result] = mapBulkRejection({ errors: [`Entry 0: ${message}`] }, [0]);
      expect(result).toMatchObject({ kind: 'failed', error: { code } });
    });
  });

  it('fails every entry when the vault names none of them', () => {
    const results = mapBulkRejection(
      {
        message: 'The entries field is required.',
        errors: ['The entries field is required.', 'Entry 9: out of range'],
      },
      [0, 1],
    );
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result).toMatchObject({ kind: 'failed', error: { code: 'validation_failed' } });
    }
    expect(results[1]).toMatchObject({
      error: { message: 'Record 1: The entries field is required.; Entry 9: out of range' },
    });
  });
});

describe('parseEntryErrors', () => {
  it('keeps messages it cannot attribute apart', () => {
    const parsed = parseEntryErrors(
      { errors: ['Entry 1: bad', 'Entry -1: worse', 'Entry 2: far', 42, 'loose'] },
      2,
    );
    expect(parsed.byEntry).toEqual([undefined, ['bad']]);
    expect(parsed.unattributed).toEqual(['Entry -1: worse', 'Entry 2: far', 'loose']);
  });

  it('reads a field-keyed errors object as unattributed', () => {
    expect(
      parseEntryErrors({ errors: { entries: ['The entries field is required.'] } }, 1).unattributed,
    ).toEqual(['The entries field is required.']);
  });
});

describe('fieldOfMessage', () => {
  it.each([
    ['certificate_title is required', 'certificate_title'],
    ['applicant_email a@ is not a valid email address', 'applicant_email'],
    ['file_id 1 has already been used by another certificate', 'file_id'],
    ['must be an object', undefined],
  ])('finds the field in "%s"', (message, field) => {
    expect(fieldOfMessage(message)).toBe(field);
  });
});

describe('showsAllFilesUsed', () => {
  it('is true only when every entry is named for a used file and nothing else', () => {
    const used = (n: number) =>
      `Entry ${n}: file_id ${n} has already been used by another certificate`;
    expect(showsAllFilesUsed({ errors: [used(0), used(1)] }, 2)).toBe(true);
    expect(showsAllFilesUsed({ errors: [used(0)] }, 2)).toBe(false);
    expect(
      showsAllFilesUsed({ errors: [used(0), used(1), 'Entry 1: full_name is required'] }, 2),
    ).toBe(false);
    expect(
      showsAllFilesUsed({ errors: ['Entry 0: file_id 1 is already used by entry 3'] }, 1),
    ).toBe(false);
  });
});

describe('matchBatchCertificates', () => {
  it('maps certificates to entries by creation order and settles each', () => {
    const entries = [entry(0), entry(1), entry(2), entry(3)];
    // Listed newest first, as the vault lists them.
    const listed = [
      certificate(104, entries[3]!, 'processing'),
      certificate(103, entries[2]!, 'revoked'),
      certificate(102, entries[1]!, 'failed'),
      certificate(101, entries[0]!, 'generated'),
    ];
    const matches = matchBatchCertificates(entries, listed, [5, 6, 7, 8]);
    expect(matches.map((match) => match.kind)).toEqual([
      'succeeded',
      'failed',
      'failed',
      'pending',
    ]);
    expect(matches[0]).toMatchObject({ value: { id: 101 } });
    expect(matches[1]).toMatchObject({
      error: {
        code: 'certificate_failed',
        message:
          'Record 6: the vault could not generate certificate VC-2025-000102 (It is failed.)',
      },
    });
    expect(matches[2]).toMatchObject({ error: { code: 'certificate_revoked' } });
  });

  it('matches by fields when the batch does not line up, and reports what is missing', () => {
    const entries = [entry(0), entry(1), entry(2)];
    const listed = [
      certificate(7, entries[2]!, 'generated'),
      certificate(9, entries[0]!, 'generated'),
    ];
    const matches = matchBatchCertificates(entries, listed, [0, 1, 2]);
    expect(matches).toMatchObject([
      { kind: 'succeeded', value: { id: 9 } },
      { kind: 'missing' },
      { kind: 'succeeded', value: { id: 7 } },
    ]);
  });
});

// Property: whatever the vault answers, one result per entry, in order, none invented.
const statusArb = fc.constantFrom('pending', 'processing', 'generated', 'failed', 'revoked', 'odd');
const messageArb = fc.oneof(
  fc.tuple(fc.integer({ min: -2, max: 12 }), fc.string()).map(([n, text]) => `Entry ${n}: ${text}`),
  fc.string(),
  fc.constant('Entry 0: file_id x has already been used by another certificate'),
);
const rejectionArb = fc.oneof(
  fc.record({
    message: fc.string(),
    errors: fc.array(fc.oneof(messageArb, fc.integer()), { maxLength: 15 }),
  }),
  fc.record({ errors: fc.dictionary(fc.string(), fc.array(fc.string())) }),
  fc.anything(),
);

describe('the mappers, fed random vault answers', () => {
  it('give exactly one rejection result per entry, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), rejectionArb, (count, body) => {
        const records = Array.from({ length: count }, (_, i) => 100 + i);
        const results = mapBulkRejection(body, records);
        expect(results).toHaveLength(count);
        results.forEach((result, position) => {
          expect(['failed', 'resend']).toContain(result.kind);
          if (result.kind === 'failed')
            expect(result.error.message.startsWith(`Record ${records[position]}:`)).toBe(true);
        });
        // Nothing named: nothing is silently re-sent forever.
        if (results.every((result) => result.kind === 'resend')) expect.unreachable('all resend');
      }),
    );
  });

  it('give one match per entry and never use a certificate twice', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 8 }),
        fc.array(
          fc.record({
            id: fc.integer({ min: 1, max: 50 }),
            of: fc.integer({ min: 0, max: 10 }),
            status: statusArb,
          }),
          {
            maxLength: 12,
          },
        ),
        (count, rows) => {
          const entries = Array.from({ length: count }, (_, i) => entry(i));
          const listed = rows.map((row) => certificate(row.id, entry(row.of), row.status));
          const matches = matchBatchCertificates(
            entries,
            listed,
            entries.map((_, i) => i),
          );
          expect(matches).toHaveLength(count);
          const used = matches.flatMap((match) =>
            match.kind === 'succeeded'
              ? [match.value]
              : match.kind === 'pending'
                ? [match.certificate]
                : match.kind === 'failed'
                  ? [match.error.vendor as Certificate]
                  : [],
          );
          expect(new Set(used).size).toBe(used.length);
          matches.forEach((match, position) => {
            const found =
              match.kind === 'succeeded'
                ? match.value
                : match.kind === 'pending'
                  ? match.certificate
                  : undefined;
            if (found) expect(found.applicant_email).toBe(entries[position]!.applicant_email);
          });
        },
      ),
    );
  });
});
