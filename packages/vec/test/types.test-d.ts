import { describe, expectTypeOf, it } from 'vitest';
import {
  type BatchStatus,
  type BulkCreateCertificatesRequest,
  type CertificateEntry,
  type CertificateList,
  type CertificateStatusValue,
  createVecClient,
  type operations,
  type UploadedFile,
  unwrap,
  type VecErrorBody,
} from '../src/index.js';

const vec = createVecClient({ token: 'sandbox-token' });
const entry: CertificateEntry = {
  certificate_title: 'Certificate of Achievement',
  full_name: 'John Smith',
  applicant_email: 'john@example.com',
  file_id: '9e3b101f-c264-4f97-945f-20dfa7163768',
};

describe('request bodies', () => {
  it('accepts a documented bulk body', () => {
    expectTypeOf({ entries: [entry] }).toMatchTypeOf<BulkCreateCertificatesRequest>();
    expectTypeOf<
      operations['bulkCreateCertificates']['requestBody']['content']['application/json']
    >().toEqualTypeOf<BulkCreateCertificatesRequest>();
  });

  it('rejects a misspelt entry field', () => {
    void vec.api.POST('/business/certificate-vault/bulk', {
      body: {
        entries: [
          {
            certificate_title: 'Certificate of Achievement',
            full_name: 'John Smith',
            applicant_email: 'john@example.com',
            // @ts-expect-error `fileId` is not a field of an entry (`file_id` is)
            fileId: '9e3b101f-c264-4f97-945f-20dfa7163768',
          },
        ],
      },
    });
  });

  it('rejects a field of the wrong type', () => {
    void vec.api.POST('/business/certificate-vault/bulk', {
      // @ts-expect-error `details` is a string
      body: { entries: [{ ...entry, details: 42 }] },
    });
  });

  it('rejects an entry without a required field', () => {
    const { file_id: _fileId, ...withoutFile } = entry;
    // @ts-expect-error `file_id` is required
    void vec.api.POST('/business/certificate-vault/bulk', { body: { entries: [withoutFile] } });
  });

  it('rejects an unknown status filter', () => {
    void vec.api.GET('/business/certificate-vault', {
      // @ts-expect-error `done` is not a certificate status
      params: { query: { status: 'done' } },
    });
  });

  it('requires the path parameter', () => {
    // @ts-expect-error the batch id is missing
    void vec.api.GET('/business/batches/{batchId}/status', { params: { path: {} } });
  });
});

describe('response bodies', () => {
  it('types the data of each operation', async () => {
    const page = unwrap(await vec.api.GET('/business/certificate-vault'));
    expectTypeOf(page).toEqualTypeOf<CertificateList>();
    expectTypeOf(page.data[0]!.status.value).toEqualTypeOf<CertificateStatusValue>();
    // @ts-expect-error Laravel's meta has no `next_page`: the next page is in `links.next`
    void page.meta.next_page;
    expectTypeOf(page.links.next).toEqualTypeOf<string | null>();

    const batch = unwrap(
      await vec.api.GET('/business/batches/{batchId}/status', {
        params: { path: { batchId: 'b' } },
      }),
    );
    expectTypeOf(batch).toEqualTypeOf<BatchStatus>();

    const upload = await vec.api.POST('/business/certificate-vault/upload-file', {
      body: { file: 'placeholder' },
    });
    expectTypeOf(upload.data?.data).toEqualTypeOf<UploadedFile | undefined>();
  });

  it('types the error bodies', async () => {
    const result = await vec.api.POST('/business/certificate-vault/bulk', {
      body: { entries: [entry] },
    });
    expectTypeOf(result.error).toMatchTypeOf<VecErrorBody | undefined>();
    if (result.error && 'errors' in result.error) {
      expectTypeOf(result.error.errors).toEqualTypeOf<string[]>();
    }
  });
});
