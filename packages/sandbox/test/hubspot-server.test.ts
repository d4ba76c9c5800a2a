import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/start-sandbox.js';

// The HubSpot simulator behind the real loopback server: request validation, auth, and the
// rate limiter answer in HubSpot's shapes, and every answer matches the spec.

const TOKEN = 'sandbox-token';
const UPDATE = '/crm/v3/objects/tickets/batch/update';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    validateResponses: 'record',
    rateLimit: { requests: 5, perMs: 60_000 },
  });
});
afterAll(async () => {
  await sandbox.close();
});

async function post(path: string, body: unknown, token: string | null = TOKEN) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

describe('the HubSpot simulator behind the sandbox server', () => {
  it('updates tickets over HTTP and records the write', async () => {
    const { status, body } = await post(UPDATE, {
      inputs: [{ id: '17', properties: { subject: 'Over HTTP' } }],
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'COMPLETE', results: [{ id: '17' }] });
    expect(sandbox.state.hubspot?.tickets.get('17')?.properties.subject).toBe('Over HTTP');
    expect(sandbox.state.hubspot?.writeCounts.get('17')).toBe(1);
  });

  it('refuses a body that breaks the spec with a HubSpot 400', async () => {
    const { status, body } = await post(UPDATE, { inputs: [{ id: 17 }] });
    expect(status).toBe(400);
    expect(body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(body?.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'INVALID_INPUT' })]),
    );
  });

  it('answers a missing token with a HubSpot 401', async () => {
    const { status, body } = await post(UPDATE, { inputs: [] }, null);
    expect(status).toBe(401);
    expect(body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
  });

  it('answers over the rate limit with the RATE_LIMIT body and HubSpot headers', async () => {
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 10 && last?.status !== 429; i += 1)
      last = await post(UPDATE, { inputs: [] });
    expect(last?.status).toBe(429);
    expect(last?.body).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
      message: 'You have reached your ten_secondly_rolling limit.',
    });
    expect(last?.headers.get('x-hubspot-ratelimit-max')).toBe('5');
    expect(last?.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(last?.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('60000');
    // HubSpot documents no Retry-After, and no daily limit was configured.
    expect(last?.headers.get('retry-after')).toBeNull();
    expect(last?.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
  });

  it('sent nothing that breaks the spec', () => {
    expect(sandbox.violations.filter((v) => v.vendor === 'hubspot')).toEqual([]);
  });
});
