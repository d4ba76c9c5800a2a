import { describe, expect, it } from 'vitest';
import { createRecordingFetch } from '../src/testing.js';

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1:4010/bulk?dry=1', { method: 'POST', body, headers });

describe('createRecordingFetch', () => {
  it('records the method, URL, headers and parsed JSON body, and answers as told', async () => {
    const transport = createRecordingFetch((request) => ({
      status: 207,
      body: { echoed: request.body },
      headers: { 'X-Request-Id': 'r-1' },
    }));
    const response = await transport.fetch(
      post(JSON.stringify({ inputs: [1] }), { 'Content-Type': 'application/json' }),
    );
    const [recorded] = transport.requests;
    expect(recorded).toMatchObject({ method: 'POST', body: { inputs: [1] }, form: undefined });
    expect(recorded?.url.pathname).toBe('/bulk');
    expect(recorded?.url.searchParams.get('dry')).toBe('1');
    expect(response.status).toBe(207);
    expect(response.url).toBe('http://127.0.0.1:4010/bulk?dry=1');
    expect(response.headers.get('x-request-id')).toBe('r-1');
    expect(await response.json()).toEqual({ echoed: { inputs: [1] } });
  });

  it('keeps a multipart body as a form', async () => {
    const form = new FormData();
    form.set('name', 'certificate.pdf');
    const transport = createRecordingFetch(() => ({ status: 201 }));
    await transport.fetch(post(form));
    expect(transport.requests[0]?.form?.get('name')).toBe('certificate.pdf');
    expect(transport.requests[0]?.body).toBeUndefined();
  });

  it('answers from the queue without `respond`, and rejects a request with none queued', async () => {
    const transport = createRecordingFetch();
    transport.respondWith({ status: 200, body: { ok: true } });
    expect((await transport.fetch(post('{}'))).status).toBe(200);
    await expect(transport.fetch(post('{}'))).rejects.toThrow(/No canned response for POST/);
    expect(transport.requests).toHaveLength(2);
  });

  it.each([
    [undefined, 'application/json'],
    ['application/vnd.api+json', 'application/vnd.api+json'],
  ])('answers with the Content-Type %s', async (contentType, expected) => {
    const transport = createRecordingFetch(() => ({ status: 200, body: {} }), { contentType });
    const response = await transport.fetch(post('{}'));
    expect(response.headers.get('content-type')).toBe(expected);
  });

  it('leaves the request readable', async () => {
    const transport = createRecordingFetch(() => ({ status: 204 }));
    const request = post('{"a":1}');
    await transport.fetch(request);
    expect(await request.json()).toEqual({ a: 1 });
  });

  it('throws a TypeError for a `respond` that is not a function', () => {
    expect(() => createRecordingFetch(42 as never)).toThrow(/`respond`/);
  });
});
