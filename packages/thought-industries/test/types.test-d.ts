import { describe, expectTypeOf, it } from 'vitest';
import {
  type BackgroundJob,
  type BackgroundJobStatus,
  type BulkCertificateTemplatesResult,
  type BulkImportCourseGroupWebinarsRequest,
  type BulkUpdateCertificateTemplatesRequest,
  createThoughtIndustriesClient,
  type ThoughtIndustriesErrorBody,
  type UpdateCertificateTemplateInput,
  unwrap,
} from '../src/index.js';

const ti = createThoughtIndustriesClient({ token: 'ti_test_example', instance: 'acme' });
const id = '3f1c9a52-7d2e-4b8a-9c41-5e6f7a8b9c0d';

describe('request bodies', () => {
  it('accept the documented fields', () => {
    expectTypeOf<{
      templates: [{ id: string; title: string }];
    }>().toExtend<BulkUpdateCertificateTemplatesRequest>();
    expectTypeOf<{
      bulkImportAssetPath: string;
    }>().toExtend<BulkImportCourseGroupWebinarsRequest>();
    expectTypeOf<UpdateCertificateTemplateInput['expirationDays']>().toEqualTypeOf<
      number | undefined
    >();
  });

  it('reject a misspelt top-level field', () => {
    void ti.api.POST('/incoming/v2/content/certificate-templates/bulk/update', {
      // @ts-expect-error `template` is not a field; `templates` is
      body: { template: [] },
    });
    void ti.api.POST('/incoming/v2/content/courseGroup/webinar/bulk', {
      // @ts-expect-error `assetPath` is not a field; `bulkImportAssetPath` is
      body: { assetPath: 'a.csv' },
    });
  });

  it('reject a misspelt template field in a body annotated with the friendly type', () => {
    // Inline bodies passed to `api.POST` get excess-property checks only at the top level (the
    // nested array is inferred); annotating the body checks every level (the README says so).
    const body: BulkUpdateCertificateTemplatesRequest = {
      // @ts-expect-error `expirationdays` is misspelt
      templates: [{ id, expirationdays: 30 }],
    };
    void ti.api.POST('/incoming/v2/content/certificate-templates/bulk/update', { body });
  });

  it('reject a field of the wrong type', () => {
    void ti.api.POST('/incoming/v2/content/certificate-templates/bulk/update', {
      // @ts-expect-error `expirationDays` is a number
      body: { templates: [{ id, expirationDays: '30' }] },
    });
    void ti.api.POST('/incoming/v2/content/courseGroup/webinar/bulk', {
      // @ts-expect-error `dryRun` is a boolean
      body: { bulkImportAssetPath: 'a.csv', dryRun: 'yes' },
    });
  });

  it('require the template id on update', () => {
    void ti.api.POST('/incoming/v2/content/certificate-templates/bulk/update', {
      // @ts-expect-error `id` is required
      body: { templates: [{ title: 'No id' }] },
    });
  });

  it('require the job id path parameter', () => {
    // @ts-expect-error `params.path.id` is required
    void ti.api.GET('/incoming/v2/jobs/{id}', {});
  });
});

describe('responses', () => {
  it('unwrap to the typed success bodies', async () => {
    const update = unwrap(
      await ti.api.POST('/incoming/v2/content/certificate-templates/bulk/update', {
        body: { templates: [] },
      }),
    );
    expectTypeOf(
      update.data.APIBulkUpdateCertificateTemplates,
    ).toEqualTypeOf<BulkCertificateTemplatesResult>();
    const job = unwrap(await ti.api.GET('/incoming/v2/jobs/{id}', { params: { path: { id } } }));
    expectTypeOf(job.data.APIBackgroundJob).toEqualTypeOf<BackgroundJob>();
    expectTypeOf(job.data.APIBackgroundJob.status).toEqualTypeOf<BackgroundJobStatus>();
  });

  it('type the error body', async () => {
    const { error } = await ti.api.GET('/incoming/v2/jobs/{id}', { params: { path: { id } } });
    expectTypeOf<NonNullable<typeof error>>().toExtend<ThoughtIndustriesErrorBody>();
  });

  it('name the job statuses', () => {
    expectTypeOf<BackgroundJobStatus>().toEqualTypeOf<
      'pending' | 'running' | 'complete' | 'failed'
    >();
  });
});
