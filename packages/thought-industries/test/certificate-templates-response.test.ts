import type { BatchItem } from '@bulk-clients/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BackgroundJob,
  type BulkCertificateTemplatesResult,
  UnexpectedResponseError,
  type UpdateCertificateTemplateInput,
} from '../src/index.js';
import {
  mapBulkUpdateResponse,
  mapUnsettledBulkUpdate,
  readBulkUpdateResult,
} from '../src/internal.js';

const NIL = '00000000-0000-0000-0000-000000000000';
const ids = [
  '3f1c9a52-7d2e-4b8a-9c41-5e6f7a8b9c0d',
  '8a2b4c6d-1e3f-4a5b-8c7d-9e0f1a2b3c4d',
  '0b6d2c1e-4f5a-4b7c-8d9e-0f1a2b3c4d5e',
] as const;

function job(status: BackgroundJob['status'], errorMessage?: string): BackgroundJob {
  return {
    id: '11111111-2222-4333-8444-555555555555',
    type: 'certificateTemplateBulkUpdate',
    description: 'Update certificate templates',
    createdAt: '2026-01-01T00:00:00.000Z',
    repeatable: false,
    status,
    ...(errorMessage === undefined ? {} : { errorMessage }),
  };
}

function batchOf(
  templates: UpdateCertificateTemplateInput[],
  first = 0,
): BatchItem<UpdateCertificateTemplateInput>[] {
  return templates.map((item, offset) => ({ index: first + offset, item }));
}

function result(errors: unknown[], backgroundJob?: BackgroundJob): BulkCertificateTemplatesResult {
  return {
    createdCount: 0,
    updatedCount: 0,
    createdIds: [],
    errors: errors as BulkCertificateTemplatesResult['errors'],
    warnings: [],
    ...(backgroundJob ? { backgroundJob } : {}),
  };
}

function rejection(template: UpdateCertificateTemplateInput, error: string, resourceId?: string) {
  return {
    resourceId: resourceId ?? template.id,
    title: '',
    error,
    record: JSON.stringify(template),
  };
}

describe('mapUnsettledBulkUpdate', () => {
  it('fails the records the vendor rejected and leaves the others unknown', () => {
    const templates = ids.map((id) => ({ id, title: 'Renamed' }));
    const running = job('running');
    const pending = {
      code: 'job_timeout',
      message: 'job still running',
      status: 200,
      vendor: running,
    };
    const answer = result([rejection(templates[1]!, 'Certificate template not found')], running);
    const mapped = mapUnsettledBulkUpdate(batchOf(templates, 10), answer, pending);
    expect(mapped.map((entry) => entry.kind)).toEqual(['unknown', 'failed', 'unknown']);
    expect(mapped[0]).toEqual({
      kind: 'unknown',
      error: {
        ...pending,
        message: `Certificate template ${ids[0]} (record 10): job still running`,
      },
    });
    expect(mapped[1]).toMatchObject({ kind: 'failed', error: { code: 'not_found', status: 200 } });
  });
});

describe('mapBulkUpdateResponse', () => {
  it('succeeds every record of a batch the job completed, with the job', () => {
    const templates = ids.map((id) => ({ id, title: 'Renamed' }));
    const completed = job('complete');
    const mapped = mapBulkUpdateResponse(batchOf(templates), result([], job('pending')), completed);
    expect(mapped).toEqual(
      ids.map((id) => ({ kind: 'succeeded', value: { id, backgroundJob: completed } })),
    );
  });

  it('succeeds accepted records without a job when the vendor started none', () => {
    const mapped = mapBulkUpdateResponse(batchOf([{ id: ids[0], title: 'A' }]), result([]));
    expect(mapped).toEqual([{ kind: 'succeeded', value: { id: ids[0] } }]);
  });

  describe.each([
    {
      name: 'an unknown id',
      reason: 'Certificate template not found',
      template: { id: ids[1], expirationDays: 365 },
      code: 'not_found',
      field: 'id',
      definite: true,
    },
    {
      name: 'an empty title',
      reason: 'title must not be empty',
      template: { id: ids[1], title: '' },
      code: 'invalid_field',
      field: 'title',
      definite: true,
    },
    {
      name: 'a negative expiration',
      reason: 'expirationDays must be a whole number of days, 0 or more',
      template: { id: ids[1], expirationDays: -3 },
      code: 'invalid_field',
      field: 'expirationDays',
      definite: true,
    },
    {
      name: 'a reason naming no field',
      reason: 'Template is locked by another import',
      template: { id: ids[1], title: 'B' },
      code: 'rejected',
      field: undefined,
      definite: undefined,
    },
  ])('a record rejected for $name', ({ reason, template, code, field, definite }) => {
    const templates = [{ id: ids[0], title: 'A' }, template, { id: ids[2], title: 'C' }];
    const entry = rejection(template, reason);
    const mapped = mapBulkUpdateResponse(batchOf(templates, 40), result([entry], job('complete')));

    it('fails with the vendor reason, field, status and raw entry', () => {
      expect(mapped[1]).toEqual({
        kind: 'failed',
        error: {
          code,
          field,
          status: 200,
          message: `Certificate template ${ids[1]} (record 41): ${reason}`,
          vendor: entry,
          definite,
        },
      });
    });

    it('leaves the records around it succeeded', () => {
      expect(mapped.map((entry) => entry.kind)).toEqual(['succeeded', 'failed', 'succeeded']);
    });
  });

  it('tells apart two records of one template by the rejected record', () => {
    const good = { id: ids[0], title: 'Fine' };
    const bad = { id: ids[0], title: '' };
    const mapped = mapBulkUpdateResponse(
      batchOf([good, bad]),
      result([rejection(bad, 'title must not be empty')]),
    );
    expect(mapped.map((entry) => entry.kind)).toEqual(['succeeded', 'failed']);
  });

  it('matches ids without regard to case', () => {
    const template = { id: ids[0].toUpperCase(), title: 'A' };
    const mapped = mapBulkUpdateResponse(
      batchOf([template]),
      result([rejection({ id: ids[0] }, 'Certificate template not found')]),
    );
    expect(mapped[0]?.kind).toBe('failed');
  });

  it('matches a rejection carrying the nil UUID by its record', () => {
    const templates = [
      { id: ids[0], title: 'A' },
      { id: ids[1], title: 'B' },
    ];
    const mapped = mapBulkUpdateResponse(
      batchOf(templates),
      result([rejection(templates[1]!, 'id must be a template uuid', NIL)]),
    );
    expect(mapped.map((entry) => entry.kind)).toEqual(['succeeded', 'failed']);
  });

  it('counts a rejection reported twice once', () => {
    const templates = [
      { id: ids[0], title: '' },
      { id: ids[1], title: 'B' },
    ];
    const entry = rejection(templates[0]!, 'title must not be empty');
    const mapped = mapBulkUpdateResponse(batchOf(templates), result([entry, entry]));
    expect(mapped.map((item) => item.kind)).toEqual(['failed', 'succeeded']);
  });

  it('fails the accepted records with the message of a failed job', () => {
    const templates = [
      { id: ids[0], title: '' },
      { id: ids[1], title: 'B' },
    ];
    const failedJob = job('failed', 'The worker stopped');
    const mapped = mapBulkUpdateResponse(
      batchOf(templates, 7),
      result([rejection(templates[0]!, 'title must not be empty')]),
      failedJob,
    );
    expect(mapped[0]).toMatchObject({ kind: 'failed', error: { code: 'invalid_field' } });
    expect(mapped[1]).toEqual({
      kind: 'failed',
      error: {
        code: 'job_failed',
        status: 200,
        vendor: failedJob,
        message: `Certificate template ${ids[1]} (record 8): background job ${failedJob.id} failed: The worker stopped`,
      },
    });
  });

  it('refuses a job that has not settled while records wait for it', () => {
    expect(() =>
      mapBulkUpdateResponse(batchOf([{ id: ids[0] }]), result([], job('running'))),
    ).toThrow(TypeError);
  });

  it('throws UnexpectedResponseError for a rejection that names no record of the batch', () => {
    expect(() =>
      mapBulkUpdateResponse(
        batchOf([{ id: ids[0], title: 'A' }]),
        result([rejection({ id: ids[2], title: 'other' }, 'Certificate template not found')]),
      ),
    ).toThrow(UnexpectedResponseError);
  });
});

describe('readBulkUpdateResult', () => {
  it.each([
    { name: 'no body', body: undefined },
    { name: 'no data', body: { templates: [] } },
    { name: 'a string result', body: { data: { APIBulkUpdateCertificateTemplates: 'ok' } } },
    { name: 'errors not an array', body: { data: { APIBulkUpdateCertificateTemplates: {} } } },
    {
      name: 'a job without an id',
      body: { data: { APIBulkUpdateCertificateTemplates: { errors: [], backgroundJob: {} } } },
    },
  ])('throws UnexpectedResponseError for $name', ({ body }) => {
    expect(() => readBulkUpdateResult(body)).toThrow(UnexpectedResponseError);
  });

  it('returns the documented result', () => {
    const answer = result([], job('pending'));
    expect(readBulkUpdateResult({ data: { APIBulkUpdateCertificateTemplates: answer } })).toBe(
      answer,
    );
  });
});

// ---- property: whatever the vendor answers, no record is lost or counted twice ----

const templateArbitrary: fc.Arbitrary<UpdateCertificateTemplateInput> = fc.record(
  {
    // A small pool of ids makes several records of one template in a batch common.
    id: fc.constantFrom(...ids, ids[0].toUpperCase()),
    title: fc.string({ maxLength: 6 }),
    expirationDays: fc.integer({ min: -5, max: 800 }),
  },
  { requiredKeys: ['id'] },
);

const batchArbitrary = fc
  .tuple(fc.array(templateArbitrary, { maxLength: 12 }), fc.nat({ max: 10_000 }))
  .map(([templates, first]) => batchOf(templates, first));

const settledJob = fc.constantFrom(job('complete'), job('failed', 'stopped'), undefined);

/** Rejections built from the batch itself: what a vendor keeping its contract answers. */
function validErrors(batch: BatchItem<UpdateCertificateTemplateInput>[]) {
  return fc
    .subarray(batch.map((entry) => entry.item))
    .chain((rejected) =>
      fc.tuple(
        fc.constant(rejected),
        fc.array(fc.boolean(), { minLength: rejected.length, maxLength: rejected.length }),
      ),
    );
}

describe('mapBulkUpdateResponse on random answers', () => {
  it('gives one result per record, in order, for every answer that keeps the contract', () => {
    fc.assert(
      fc.property(
        batchArbitrary.chain((batch) =>
          fc.tuple(fc.constant(batch), validErrors(batch), settledJob, fc.boolean()),
        ),
        (input) => {
          const [batch, [rejected, nilIds], finalJob, twice] = input;
          const errors = rejected.map((template, at) =>
            rejection(
              template,
              'title must not be empty',
              nilIds[at] ? NIL : template.id.toLowerCase(),
            ),
          );
          const mapped = mapBulkUpdateResponse(
            batch,
            result(twice ? [...errors, ...errors] : errors),
            finalJob,
          );
          expect(mapped).toHaveLength(batch.length);
          const failedByVendor = mapped.filter(
            (entry) => entry.kind === 'failed' && entry.error.code !== 'job_failed',
          );
          // Each rejection names one record. A rejection repeated verbatim counts once, unless the
          // batch holds that very record more than once: then it may name the other copy.
          if (twice) {
            expect(failedByVendor.length).toBeGreaterThanOrEqual(rejected.length);
            expect(failedByVendor.length).toBeLessThanOrEqual(2 * rejected.length);
          } else {
            expect(failedByVendor).toHaveLength(rejected.length);
          }
          mapped.forEach((entry, position) => {
            const { index, item } = batch[position]!;
            if (entry.kind === 'succeeded') {
              expect(finalJob?.status).not.toBe('failed');
              expect(entry.value.id).toBe(item.id);
            } else if (entry.kind === 'failed') {
              expect(entry.error.message).toContain(`(record ${index})`);
              if (entry.error.code !== 'job_failed') {
                const vendor = entry.error.vendor as { record: string; resourceId: string };
                expect([vendor.resourceId, NIL]).toContain(vendor.resourceId);
                expect(vendor.record).toBe(JSON.stringify(item));
              }
            } else {
              expect.unreachable('a bulk update answer never asks for a resend');
            }
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('either maps every record once or reports the whole answer unreadable', () => {
    const noise = fc.oneof(
      fc.anything(),
      fc.record({ resourceId: fc.constantFrom(...ids, NIL, 'x'), error: fc.anything() }),
      fc.record({ resourceId: fc.anything(), record: fc.string() }),
    );
    const body = fc.oneof(
      fc.anything(),
      fc.record({
        data: fc.record({
          APIBulkUpdateCertificateTemplates: fc.record(
            {
              errors: fc.oneof(fc.array(noise, { maxLength: 6 }), fc.anything()),
              backgroundJob: fc.oneof(fc.anything(), fc.constant(job('complete'))),
              updatedCount: fc.anything(),
            },
            { requiredKeys: [] },
          ),
        }),
      }),
    );
    fc.assert(
      fc.property(batchArbitrary, body, settledJob, (batch, answer, finalJob) => {
        let mapped: unknown[];
        try {
          mapped = mapBulkUpdateResponse(batch, readBulkUpdateResult(answer), finalJob);
        } catch (error) {
          // The only way out: the whole batch is reported with an unknown outcome.
          expect(error).toBeInstanceOf(UnexpectedResponseError);
          return;
        }
        expect(mapped).toHaveLength(batch.length);
        for (const entry of mapped) {
          expect(['succeeded', 'failed']).toContain((entry as { kind: string }).kind);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
