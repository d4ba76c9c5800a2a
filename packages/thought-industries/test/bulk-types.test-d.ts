import type { BulkAdapter, BulkReport, ItemOutcome } from '@bulk-clients/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type BackgroundJob,
  type CertificateTemplatesBulkUpdateReport,
  type CertificateTemplateUpdate,
  createCertificateTemplatesBulkUpdateAdapter,
  createThoughtIndustriesClient,
  type UpdateCertificateTemplateInput,
  type WebinarDryRunResult,
  type WebinarImportResult,
  type WebinarImportState,
} from '../src/index.js';

const ti = createThoughtIndustriesClient({ token: 'ti_test_example', instance: 'acme' });
const id = '3f1c9a52-7d2e-4b8a-9c41-5e6f7a8b9c0d';

describe('certificateTemplates.bulkUpdate', () => {
  it('resolves with the core report typed by input and result', () => {
    expectTypeOf(ti.certificateTemplates.bulkUpdate([{ id }])).resolves.toEqualTypeOf<
      BulkReport<UpdateCertificateTemplateInput, CertificateTemplateUpdate>
    >();
    expectTypeOf<CertificateTemplatesBulkUpdateReport['outcomes']>().toEqualTypeOf<
      ItemOutcome<UpdateCertificateTemplateInput, CertificateTemplateUpdate>[] | undefined
    >();
    expectTypeOf<CertificateTemplateUpdate['backgroundJob']>().toEqualTypeOf<
      BackgroundJob | undefined
    >();
  });

  it('takes async iterables and checks the records', () => {
    async function* read() {
      yield { id, title: 'A' };
    }
    void ti.certificateTemplates.bulkUpdate(read());
    // @ts-expect-error `expirationDays` is a number
    void ti.certificateTemplates.bulkUpdate([{ id, expirationDays: '30' }]);
    // @ts-expect-error `id` is required
    void ti.certificateTemplates.bulkUpdate([{ title: 'No id' }]);
  });

  it('types the options', () => {
    void ti.certificateTemplates.bulkUpdate([], {
      batchSize: 50,
      concurrency: 2,
      poll: { minDelayMs: 500, maxWaitMs: 60_000 },
      onItem: (outcome) => {
        expectTypeOf(outcome.value).toEqualTypeOf<CertificateTemplateUpdate | undefined>();
      },
    });
    // @ts-expect-error `limiter` is the client's own
    void ti.certificateTemplates.bulkUpdate([], { limiter: undefined });
  });

  it('exposes the adapter for runBulk', () => {
    expectTypeOf(createCertificateTemplatesBulkUpdateAdapter(ti)).toEqualTypeOf<
      BulkAdapter<UpdateCertificateTemplateInput, CertificateTemplateUpdate>
    >();
  });
});

describe('courseGroupWebinars.bulkImport', () => {
  it('resolves with the rows for a dry run and with the job for an import', () => {
    expectTypeOf(
      ti.courseGroupWebinars.bulkImport({ bulkImportAssetPath: 'a.csv', dryRun: true }),
    ).resolves.toEqualTypeOf<WebinarDryRunResult>();
    expectTypeOf(
      ti.courseGroupWebinars.bulkImport({ bulkImportAssetPath: 'a.csv' }),
    ).resolves.toEqualTypeOf<WebinarImportResult>();
    const dryRun = Math.random() > 0.5;
    expectTypeOf(
      ti.courseGroupWebinars.bulkImport({ bulkImportAssetPath: 'a.csv', dryRun }),
    ).resolves.toEqualTypeOf<WebinarDryRunResult | WebinarImportResult>();
  });

  it('names the end states', () => {
    expectTypeOf<WebinarImportState>().toEqualTypeOf<
      'succeeded' | 'failed' | 'timeout' | 'aborted'
    >();
    expectTypeOf<WebinarImportResult['job']>().toEqualTypeOf<BackgroundJob | undefined>();
  });

  it('requires the asset path', () => {
    // @ts-expect-error `bulkImportAssetPath` is required
    void ti.courseGroupWebinars.bulkImport({ dryRun: true });
  });
});
