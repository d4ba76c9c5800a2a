import { inspect } from 'node:util';
import { codeForStatus } from '@bulk-clients/core';
import { type CannedResponse, createRecordingFetch } from '@bulk-clients/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  type BulkCreateCertificateTemplatesRequest,
  type BulkImportCourseGroupWebinarsRequest,
  type BulkUpdateCertificateTemplatesRequest,
  createThoughtIndustriesClient,
  type ThoughtIndustriesApi,
  unwrap,
} from '../src/index.js';
import { responseExamples, spec } from './spec-examples.js';

const token = 'ti_test_example';
const baseUrl = 'https://acme.thoughtindustries.com';
const jobId = '0b6d2c1e-4f5a-4b7c-8d9e-0f1a2b3c4d5e';

const updateBody: BulkUpdateCertificateTemplatesRequest = {
  templates: [
    { id: '3f1c9a52-7d2e-4b8a-9c41-5e6f7a8b9c0d', title: 'Food safety level 2' },
    { id: '8a2b4c6d-1e3f-4a5b-8c7d-9e0f1a2b3c4d', expirationDays: 365 },
  ],
};
const createBody: BulkCreateCertificateTemplatesRequest = {
  templates: [{ title: 'Fire warden refresher', status: 'draft', expirationDays: 30 }],
};
const importBody: BulkImportCourseGroupWebinarsRequest = {
  bulkImportAssetPath: 'imports/webinars-2024.csv',
  dryRun: true,
};

interface OperationCase {
  operationId: string;
  method: string;
  path: string;
  body: unknown;
  send: (
    api: ThoughtIndustriesApi,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

const operations: OperationCase[] = [
  {
    operationId: 'bulkUpdateCertificateTemplates',
    method: 'POST',
    path: '/incoming/v2/content/certificate-templates/bulk/update',
    body: updateBody,
    send: (api) =>
      api.POST('/incoming/v2/content/certificate-templates/bulk/update', { body: updateBody }),
  },
  {
    operationId: 'bulkCreateCertificateTemplates',
    method: 'POST',
    path: '/incoming/v2/content/certificate-templates/bulk',
    body: createBody,
    send: (api) =>
      api.POST('/incoming/v2/content/certificate-templates/bulk', { body: createBody }),
  },
  {
    operationId: 'bulkImportCourseGroupWebinars',
    method: 'POST',
    path: '/incoming/v2/content/courseGroup/webinar/bulk',
    body: importBody,
    send: (api) => api.POST('/incoming/v2/content/courseGroup/webinar/bulk', { body: importBody }),
  },
  {
    operationId: 'getBackgroundJob',
    method: 'GET',
    path: `/incoming/v2/jobs/${jobId}`,
    body: undefined,
    send: (api) => api.GET('/incoming/v2/jobs/{id}', { params: { path: { id: jobId } } }),
  },
];

function clientAnswering(respond: () => CannedResponse) {
  const transport = createRecordingFetch(respond);
  const client = createThoughtIndustriesClient({ token, baseUrl, fetch: transport.fetch });
  return { client, requests: transport.requests };
}

function operationCase(operationId: string): OperationCase {
  const found = operations.find((operation) => operation.operationId === operationId);
  if (!found) throw new Error(`No test case for operation ${operationId}`);
  return found;
}

describe('the operation table', () => {
  it('covers every operation in the spec', () => {
    const inSpec = Object.values(
      spec.paths as Record<string, Record<string, { operationId: string }>>,
    )
      .flatMap((item) => Object.values(item).map((operation) => operation.operationId))
      .sort();
    expect(operations.map((operation) => operation.operationId).sort()).toEqual(inSpec);
  });
});

describe.each(operations)('$operationId request', ({ method, path, body, send }) => {
  it('sends the method, full path, bearer token and JSON body', async () => {
    const { client, requests } = clientAnswering(() => ({ status: 200, body: {} }));
    await send(client.api);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request?.method).toBe(method);
    expect(request?.url.href).toBe(`${baseUrl}${path}`);
    expect(request?.headers.get('authorization')).toBe(`Bearer ${token}`);
    expect(request?.headers.get('accept')).toBe('application/json');
    if (body === undefined) {
      expect(request?.body).toBeUndefined();
    } else {
      expect(request?.headers.get('content-type')).toBe('application/json');
      expect(request?.body).toEqual(body);
    }
  });
});

const examples = responseExamples();

describe('the response examples', () => {
  it('cover every documented status of every operation', () => {
    const documented = Object.values(
      spec.paths as Record<string, Record<string, { responses: object }>>,
    )
      .flatMap((item) => Object.values(item))
      .reduce((count, operation) => count + Object.keys(operation.responses).length, 0);
    const covered = new Set(examples.map((example) => `${example.operationId} ${example.status}`));
    expect(covered.size).toBe(documented);
  });
});

describe.each(examples.filter((example) => example.status < 300))(
  '$operationId $status ($example)',
  ({ operationId, body }) => {
    it('unwraps to the documented body', async () => {
      const { client } = clientAnswering(() => ({ status: 200, body }));
      const result = await operationCase(operationId).send(client.api);
      expect(unwrap(result)).toEqual(body);
    });
  },
);

describe.each(examples.filter((example) => example.status >= 400))(
  '$operationId $status ($example)',
  ({ operationId, status, body }) => {
    const requestId = `req-${operationId}-${status}`;
    const headers: Record<string, string> = { 'X-Request-Id': requestId };
    if (status === 429 || status === 503) headers['Retry-After'] = '32';

    async function failure(): Promise<ApiError> {
      const { client } = clientAnswering(() => ({ status, body, headers }));
      const result = await operationCase(operationId).send(client.api);
      try {
        unwrap(result);
      } catch (error) {
        if (error instanceof ApiError) return error;
        throw error;
      }
      throw new Error('unwrap did not throw');
    }

    it('throws an ApiError with the status, vendor body and request id', async () => {
      const error = await failure();
      expect(error.status).toBe(status);
      expect(error.code).toBe(codeForStatus(status));
      expect(error.method).toBe(operationCase(operationId).method);
      expect(error.body).toEqual(body);
      expect(error.requestId).toBe(requestId);
      expect(error.message).toContain((body as { message: string }).message);
      expect(error.retryAfterMs).toBe(headers['Retry-After'] ? 32_000 : undefined);
    });

    it('keeps the token out of the message, stack, inspect output and JSON', async () => {
      const error = await failure();
      for (const text of [error.message, error.stack, inspect(error), JSON.stringify(error)]) {
        expect(text).not.toContain(token);
      }
    });
  },
);

describe('rate-limit waits', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('falls back to X-RateLimit-Reset when a 429 has no Retry-After', async () => {
    // unwrap reads the system clock; pin it so the expected wait is exact.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2025, 2, 4, 10, 0, 0, 250));
    const resetAt = Date.UTC(2025, 2, 4, 10, 0, 30) / 1000;
    const { client } = clientAnswering(() => ({
      status: 429,
      body: { error: 'rate_limit_exceeded', message: 'Slow down', retryAfter: 30 },
      headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(resetAt) },
    }));
    const result = await client.api.GET('/incoming/v2/jobs/{id}', {
      params: { path: { id: jobId } },
    });
    const error = (() => {
      try {
        unwrap(result);
      } catch (caught) {
        return caught as ApiError;
      }
      throw new Error('unwrap did not throw');
    })();
    expect(error.retryAfterMs).toBe(29_750);
  });
});
