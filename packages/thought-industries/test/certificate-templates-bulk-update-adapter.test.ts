import { type RateLimiter, rateLimiterOf, runBulk } from '@bulk-clients/core';
import {
  type CannedResponse,
  createRecordingFetch,
  type RecordedRequest,
} from '@bulk-clients/core/testing';
import { describe, expect, it } from 'vitest';
import {
  createCertificateTemplatesBulkUpdateAdapter,
  createThoughtIndustriesClient,
  thoughtIndustriesDefaults,
  type UpdateCertificateTemplateInput,
} from '../src/index.js';
import { validateTemplateUpdate } from '../src/internal.js';

const token = 'ti_test_example';
const baseUrl = 'https://acme.thoughtindustries.com';
const ids = [
  '3f1c9a52-7d2e-4b8a-9c41-5e6f7a8b9c0d',
  '8a2b4c6d-1e3f-4a5b-8c7d-9e0f1a2b3c4d',
  '0b6d2c1e-4f5a-4b7c-8d9e-0f1a2b3c4d5e',
];

function clientAnswering(respond: (request: RecordedRequest) => CannedResponse) {
  const transport = createRecordingFetch(respond);
  const ti = createThoughtIndustriesClient({ token, baseUrl, fetch: transport.fetch });
  return { ti, requests: transport.requests };
}

function updateAnswer(errors: unknown[] = []): CannedResponse {
  return {
    status: 200,
    body: {
      data: {
        APIBulkUpdateCertificateTemplates: {
          createdCount: 0,
          updatedCount: 0,
          createdIds: [],
          errors,
          warnings: [],
        },
      },
    },
  };
}

describe('validateTemplateUpdate', () => {
  it.each([
    {
      name: 'null',
      item: null,
      field: undefined,
      text: 'Record 4: expected a certificate template update object, got null',
    },
    { name: 'an array', item: [], field: undefined, text: 'got an array' },
    {
      name: 'a missing id',
      item: { title: 'A' },
      field: 'id',
      text: 'Record 4: `id` must be a certificate template UUID, got undefined',
    },
    { name: 'an id that is no UUID', item: { id: '42' }, field: 'id', text: 'got "42"' },
    {
      name: 'a numeric title',
      item: { id: ids[0], title: 7 },
      field: 'title',
      text: `Record 4 (certificate template ${ids[0]}): \`title\` must be a string, got 7`,
    },
    { name: 'a null body', item: { id: ids[0], body: null }, field: 'body', text: 'got null' },
    {
      name: 'a fractional expiration',
      item: { id: ids[0], expirationDays: 1.5 },
      field: 'expirationDays',
      text: 'must be a whole number of days, got 1.5',
    },
    {
      name: 'a string expiration',
      item: { id: ids[0], expirationDays: '30' },
      field: 'expirationDays',
      text: 'got "30"',
    },
  ])('fails $name, naming the field and the record', ({ item, field, text }) => {
    const error = validateTemplateUpdate(item, 4);
    expect(error?.field).toBe(field);
    expect(error?.message).toContain(text);
  });

  it.each([
    { name: 'an id alone', item: { id: ids[0] } },
    { name: 'an upper-case id', item: { id: ids[0]!.toUpperCase(), title: 'A' } },
    { name: 'an empty title, left to the vendor', item: { id: ids[0], title: '' } },
    { name: 'a negative expiration, left to the vendor', item: { id: ids[0], expirationDays: -1 } },
    { name: 'an extra field', item: { id: ids[0], locale: 'fr' } },
  ])('accepts $name', ({ item }) => {
    expect(validateTemplateUpdate(item, 0)).toBeUndefined();
  });
});

describe('createCertificateTemplatesBulkUpdateAdapter', () => {
  it('defaults to batches of 100, idempotent', () => {
    const { ti } = clientAnswering(() => updateAnswer());
    const adapter = createCertificateTemplatesBulkUpdateAdapter(ti);
    expect(adapter).toMatchObject({
      operation: 'thought-industries.certificateTemplates.bulkUpdate',
      maxBatchSize: thoughtIndustriesDefaults.chunkSize,
      idempotent: true,
    });
  });

  it.each([
    { options: { batchSize: 0 }, message: /`batchSize`/ },
    { options: { batchSize: 2.5 }, message: /`batchSize`/ },
    { options: { httpTimeoutMs: -1 }, message: /`httpTimeoutMs`/ },
    { options: { poll: { maxWaitMs: -5 } }, message: /`poll.maxWaitMs`/ },
    { options: { poll: { minDelayMs: 50, maxDelayMs: 10 } }, message: /`poll.maxDelayMs`/ },
  ])('throws a TypeError naming the bad option in $options', ({ options, message }) => {
    const { ti } = clientAnswering(() => updateAnswer());
    expect(() => createCertificateTemplatesBulkUpdateAdapter(ti, options)).toThrow(message);
  });

  it('posts the batch as `templates` and caps runBulk at its batch size', async () => {
    const { ti, requests } = clientAnswering(() => updateAnswer());
    const adapter = createCertificateTemplatesBulkUpdateAdapter(ti, { batchSize: 2 });
    const templates = ids.map((id) => ({ id, title: 'T' }));
    const report = await runBulk(templates, adapter);
    expect(report.succeeded).toBe(3);
    expect(requests.map((request) => request.body)).toEqual([
      { templates: templates.slice(0, 2) },
      { templates: templates.slice(2) },
    ]);
    await expect(runBulk(templates, adapter, { batchSize: 3 })).rejects.toThrow(/`batchSize`/);
  });

  it('fails the records a 400 blames and sends the others again', async () => {
    let calls = 0;
    const { ti, requests } = clientAnswering(() => {
      calls += 1;
      if (calls > 1) return updateAnswer();
      return {
        status: 400,
        body: {
          error: 'invalid_request',
          message: '/templates/1/status must be string',
          details: [{ pointer: '/templates/1/status', message: 'must be string' }],
        },
      };
    });
    const adapter = createCertificateTemplatesBulkUpdateAdapter(ti);
    const templates: UpdateCertificateTemplateInput[] = ids.map((id) => ({ id, title: 'T' }));
    const report = await runBulk(templates, adapter, { collect: true });

    expect(report).toMatchObject({ succeeded: 2, failed: 1, requests: 2 });
    expect(report.outcomes?.[1]?.error).toEqual({
      code: 'invalid_request',
      field: 'status',
      status: 400,
      message: `Record 1 (certificate template ${ids[1]}): \`status\` must be string`,
      vendor: { pointer: '/templates/1/status', message: 'must be string' },
      definite: true,
    });
    expect(requests[1]?.body).toEqual({ templates: [templates[0], templates[2]] });
  });

  it('fails the whole batch with the vendor error for a 400 that blames no record', async () => {
    const { ti } = clientAnswering(() => ({
      status: 400,
      body: { error: 'invalid_request', message: 'body must be an object' },
    }));
    const adapter = createCertificateTemplatesBulkUpdateAdapter(ti);
    const report = await runBulk([{ id: ids[0]! }], adapter, { collect: true });
    expect(report.failed).toBe(1);
    expect(report.outcomes?.[0]?.error).toMatchObject({
      status: 400,
      vendor: { error: 'invalid_request', message: 'body must be an object' },
    });
  });
});

describe('a background job that outlives the wait', () => {
  const jobId = '9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
  const runningJob = {
    id: jobId,
    type: 'certificateTemplateBulkUpdate',
    description: 'Update certificate templates',
    createdAt: '2026-01-05T10:00:00.000Z',
    repeatable: false,
    status: 'running',
  };

  it('fails the records the vendor rejected, leaves the others unknown and posts once', async () => {
    const { ti, requests } = clientAnswering((request) => {
      if (request.method === 'GET')
        return { status: 200, body: { data: { APIBackgroundJob: runningJob } } };
      const answer = updateAnswer([
        { resourceId: ids[1], title: '', error: 'Certificate template not found', record: '{}' },
      ]);
      const body = answer.body as { data: { APIBulkUpdateCertificateTemplates: object } };
      Object.assign(body.data.APIBulkUpdateCertificateTemplates, { backgroundJob: runningJob });
      return answer;
    });
    let now = 0;
    const clock = {
      now: () => now,
      sleep: async (ms: number) => {
        now += ms;
      },
    };
    const adapter = createCertificateTemplatesBulkUpdateAdapter(ti, {
      poll: { minDelayMs: 10, maxDelayMs: 20, maxWaitMs: 100 },
      clock,
    });
    const templates = ids.map((id) => ({ id, title: 'T' }));
    const report = await runBulk(templates, adapter, { clock, collect: true, requestTimeoutMs: 0 });

    expect(report).toMatchObject({ succeeded: 0, failed: 1, unknown: 2, requests: 1 });
    expect(report.outcomes?.map((outcome) => outcome.status)).toEqual([
      'unknown',
      'failed',
      'unknown',
    ]);
    expect(report.outcomes?.[1]?.error).toMatchObject({ code: 'not_found' });
    expect(report.outcomes?.[0]?.error).toMatchObject({
      code: 'job_timeout',
      message: expect.stringMatching(
        new RegExp(
          `^Certificate template ${ids[0]} \\(record 0\\): Background job ${jobId} was still running after waiting \\d+ ms`,
        ),
      ),
      vendor: runningJob,
    });
    expect(requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });
});

describe('the client rate limit', () => {
  it('defaults to the standard plan and is shared with bulk runs', () => {
    const { ti } = clientAnswering(() => updateAnswer());
    const { requests, perMs } = thoughtIndustriesDefaults.rateLimit;
    expect(rateLimiterOf(ti.api)?.budget).toEqual({ requests, perMs, source: 'default' });
  });

  it('pauses every request until X-RateLimit-Reset after a 429 without Retry-After', async () => {
    const resetAt = Math.ceil(Date.now() / 1000) + 3;
    const { ti } = clientAnswering(() => ({
      status: 429,
      body: { error: 'rate_limit_exceeded', message: 'Slow down', retryAfter: 3 },
      headers: {
        'X-RateLimit-Limit': '120',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(resetAt),
      },
    }));
    await ti.api.POST('/incoming/v2/content/certificate-templates/bulk/update', {
      body: { templates: [] },
    });
    const limiter = ti.limiter as RateLimiter | undefined;
    expect(limiter?.stats.throttled).toBe(1);
    expect(limiter?.pausedForMs).toBeGreaterThan(1000);
  });
});
