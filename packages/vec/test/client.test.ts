import { inspect } from 'node:util';
import { codeForStatus } from '@bulk-clients/core';
import { type CannedResponse, createRecordingFetch } from '@bulk-clients/core/testing';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  type BulkCreateCertificatesRequest,
  createVecClient,
  unwrap,
  uploadFileBody,
  type VecApi,
} from '../src/index.js';
import { responseExamples, specOperations } from './spec-examples.js';

const token = 'sandbox-token';
const baseUrl = 'http://127.0.0.1:4010';
const certificateUuid = '3f1c2b7a-5d4e-4c8b-9a61-0e2f3d4c5b6a';
const batchId = '8f7d6e5c-4b3a-4910-a987-b654c321d000';
const pdfBytes = new TextEncoder().encode('%PDF-1.7\n%fake certificate\n');

const bulkBody: BulkCreateCertificatesRequest = {
  entries: [
    {
      certificate_title: 'Certificate of Achievement',
      full_name: 'John Smith',
      applicant_email: 'john@example.com',
      file_id: '9e3b101f-c264-4f97-945f-20dfa7163768',
      issue_date: '2025-06-01',
      details: 'Awarded for outstanding performance',
    },
    {
      certificate_title: 'Certificate of Completion',
      full_name: 'Ana Lopez',
      applicant_email: 'ana@example.com',
      file_id: '0d4f8a2c-6b1e-4c3d-9a8b-7e6f5d4c3b2a',
    },
  ],
};

interface OperationCase {
  operationId: string;
  method: string;
  /** The path as sent, with parameters filled in. */
  path: string;
  query: Record<string, string>;
  /** `json` with the body, `multipart` with the file field, or `none`. */
  content:
    | { kind: 'json'; body: unknown }
    | { kind: 'multipart'; fileName: string }
    | { kind: 'none' };
  send: (api: VecApi) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

const operations: OperationCase[] = [
  {
    operationId: 'uploadCertificateFile',
    method: 'POST',
    path: '/business/certificate-vault/upload-file',
    query: {},
    content: { kind: 'multipart', fileName: 'achievement.pdf' },
    send: (api) =>
      api.POST('/business/certificate-vault/upload-file', {
        body: uploadFileBody(new Blob([pdfBytes], { type: 'application/pdf' }), 'achievement.pdf'),
      }),
  },
  {
    operationId: 'bulkCreateCertificates',
    method: 'POST',
    path: '/business/certificate-vault/bulk',
    query: {},
    content: { kind: 'json', body: bulkBody },
    send: (api) => api.POST('/business/certificate-vault/bulk', { body: bulkBody }),
  },
  {
    operationId: 'listCertificates',
    method: 'GET',
    path: '/business/certificate-vault',
    query: { per_page: '100', page: '2', status: 'failed', batch_id: batchId },
    content: { kind: 'none' },
    send: (api) =>
      api.GET('/business/certificate-vault', {
        params: { query: { per_page: 100, page: 2, status: 'failed', batch_id: batchId } },
      }),
  },
  {
    operationId: 'getCertificate',
    method: 'GET',
    path: `/business/certificate-vault/${certificateUuid}`,
    query: {},
    content: { kind: 'none' },
    send: (api) =>
      api.GET('/business/certificate-vault/{uuid}', {
        params: { path: { uuid: certificateUuid } },
      }),
  },
  {
    operationId: 'retryCertificate',
    method: 'POST',
    path: `/business/certificate-vault/${certificateUuid}/retry`,
    query: {},
    content: { kind: 'none' },
    send: (api) =>
      api.POST('/business/certificate-vault/{uuid}/retry', {
        params: { path: { uuid: certificateUuid } },
      }),
  },
  {
    operationId: 'getBatchStatus',
    method: 'GET',
    path: `/business/batches/${batchId}/status`,
    query: {},
    content: { kind: 'none' },
    send: (api) => api.GET('/business/batches/{batchId}/status', { params: { path: { batchId } } }),
  },
];

function clientAnswering(respond: () => CannedResponse) {
  const transport = createRecordingFetch(respond);
  const client = createVecClient({ token, baseUrl, fetch: transport.fetch });
  return { client, requests: transport.requests };
}

describe('operation coverage', () => {
  it('has a case for every operation of the spec', () => {
    const inSpec = specOperations.map((entry) => entry.operation.operationId).sort();
    expect(operations.map((operation) => operation.operationId).sort()).toEqual(inSpec);
  });
});

describe.each(operations)('$operationId', (operation) => {
  const [success, ...failures] = responseExamples(operation.operationId);

  it('sends the method, full path, query, bearer token and accept header', async () => {
    const { client, requests } = clientAnswering(() => ({ status: 200, body: {} }));
    await operation.send(client.api);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe(operation.method);
    expect(`${request?.url.origin}${request?.url.pathname}`).toBe(`${baseUrl}${operation.path}`);
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual(operation.query);
    expect(request?.headers.get('authorization')).toBe(`Bearer ${token}`);
    expect(request?.headers.get('accept')).toBe('application/json');
  });

  it('sends the body with its content type', async () => {
    const { client, requests } = clientAnswering(() => ({ status: 200, body: {} }));
    await operation.send(client.api);
    const [request] = requests;
    const { content } = operation;
    if (content.kind === 'json') {
      expect(request?.contentType).toBe('application/json');
      expect(request?.body).toEqual(content.body);
    } else if (content.kind === 'multipart') {
      expect(request?.contentType).toMatch(/^multipart\/form-data; boundary=/);
      const file = request?.form?.get('file');
      expect(file).toBeInstanceOf(File);
      expect((file as File).name).toBe(content.fileName);
      expect(new Uint8Array(await (file as File).arrayBuffer())).toEqual(pdfBytes);
    } else {
      expect(request?.contentType).toBeNull();
      expect(request?.body).toBeUndefined();
    }
  });

  it(`parses the documented ${success?.status} body`, async () => {
    const { client } = clientAnswering(() => ({ status: success!.status, body: success!.body }));
    const result = await operation.send(client.api);
    expect(result.response.status).toBe(success?.status);
    expect(unwrap(result)).toEqual(success?.body);
  });

  it.each(failures)('throws an ApiError for the documented $status', async ({ status, body }) => {
    const { client } = clientAnswering(() => ({
      status,
      body,
      headers: { 'X-Request-Id': 'req-7f3a' },
    }));
    const result = await operation.send(client.api);
    expect(result.error).toEqual(body);
    let thrown: unknown;
    try {
      unwrap(result);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    const apiError = thrown as ApiError;
    expect(apiError.status).toBe(status);
    expect(apiError.code).toBe(codeForStatus(status));
    expect(apiError.body).toEqual(body);
    expect(apiError.requestId).toBe('req-7f3a');
    expect(apiError.method).toBe(operation.method);
    expect(apiError.message).toContain(operation.path);
    expect(apiError.message).toContain((body as { message: string }).message);
    for (const text of [
      apiError.message,
      apiError.stack ?? '',
      inspect(apiError, { depth: 5 }),
      JSON.stringify(apiError),
    ]) {
      expect(text).not.toContain(token);
    }
  });
});

describe('rate limiting', () => {
  it('carries the wait of a 429 from Retry-After', async () => {
    const { client } = clientAnswering(() => ({
      status: 429,
      body: { message: 'Too Many Attempts.' },
      headers: { 'Retry-After': '12', 'X-RateLimit-Limit': '60', 'X-RateLimit-Remaining': '0' },
    }));
    const result = await client.api.GET('/business/batches/{batchId}/status', {
      params: { path: { batchId } },
    });
    expect(() => unwrap(result)).toThrow(
      expect.objectContaining({ status: 429, code: 'rate_limited', retryAfterMs: 12_000 }),
    );
  });
});

describe('bulk validation errors', () => {
  it('exposes every Entry N message of a rejected batch', async () => {
    const errors = [
      'Entry 0: file_id 9e3b101f-c264-4f97-945f-20dfa7163768 not found',
      'Entry 1: applicant_email must be a valid email address',
    ];
    const { client } = clientAnswering(() => ({
      status: 422,
      body: { message: 'The bulk request contains invalid entries', errors },
    }));
    const result = await client.api.POST('/business/certificate-vault/bulk', { body: bulkBody });
    expect(result.error).toEqual(expect.objectContaining({ errors }));
  });
});

describe('upload form', () => {
  it('names the file after a File when no name is given', async () => {
    const { client, requests } = clientAnswering(() => ({ status: 201, body: {} }));
    const file = new File([pdfBytes], 'diploma.pdf', { type: 'application/pdf' });
    await client.api.POST('/business/certificate-vault/upload-file', {
      body: uploadFileBody(file),
    });
    const sent = requests[0]?.form?.get('file');
    expect(sent).toBeInstanceOf(File);
    expect((sent as File).name).toBe('diploma.pdf');
  });

  it.each([
    ['a string', 'not a file'],
    ['null', null],
  ])('rejects %s as the file', (_label, value) => {
    expect(() => uploadFileBody(value as unknown as Blob)).toThrow(
      new TypeError(
        `Expected \`file\` to be a Blob or File, got ${value === null ? 'null' : 'string'}`,
      ),
    );
  });

  it('rejects an empty file name', () => {
    expect(() => uploadFileBody(new Blob([pdfBytes]), ' ')).toThrow(TypeError);
  });
});
