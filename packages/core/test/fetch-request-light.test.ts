import { describe, expect, it } from 'vitest';
import { LightRequest, ReusableRequest, requestClassFor } from '../src/fetch-request.js';

const URL_ = 'http://127.0.0.1:4010/v1/items?x=1';

describe('LightRequest', () => {
  it.each([
    ['post', 'POST'],
    ['Patch', 'Patch'],
    ['delete', 'DELETE'],
    ['PROPFIND', 'PROPFIND'],
    ['custom', 'custom'],
  ])('gives method %s as %s, as Request does', (given, expected) => {
    expect(new LightRequest(URL_, { method: given }).method).toBe(expected);
    expect(new LightRequest(URL_, { method: given }).method).toBe(
      new Request(URL_, { method: given }).method,
    );
  });

  it('gives the URL as Request does and refuses a relative one', () => {
    const input = 'HTTP://127.0.0.1:4010/a b';
    expect(new LightRequest(input).url).toBe(new Request(input).url);
    expect(() => new LightRequest('/relative')).toThrow(TypeError);
  });

  it('copies the headers it is given', () => {
    const headers = new Headers({ Accept: 'application/json' });
    const request = new LightRequest(URL_, { headers });
    request.headers.set('Authorization', 'Bearer sandbox-token');
    expect(headers.has('authorization')).toBe(false);
    expect(request.headers.get('accept')).toBe('application/json');
  });

  it('gives the caller signal, or one that never aborts', () => {
    const controller = new AbortController();
    expect(new LightRequest(URL_, { signal: controller.signal }).signal).toBe(controller.signal);
    const none = new LightRequest(URL_).signal;
    expect(none).toBeInstanceOf(AbortSignal);
    expect(none.aborted).toBe(false);
  });

  it('reads its body as a Request would', async () => {
    const request = new LightRequest(URL_, { method: 'POST', body: '{"a":1}' });
    expect(request.bodyUsed).toBe(false);
    expect(await request.json()).toEqual({ a: 1 });
    expect(request.bodyUsed).toBe(true);
    await expect(request.text()).rejects.toThrow(TypeError);
  });

  it('clones into a real Request with the headers set since it was built', async () => {
    const request = new LightRequest(URL_, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'Content-Type': 'application/json' },
    });
    request.headers.set('Authorization', 'Bearer sandbox-token');
    const clone = request.clone();
    expect(clone).toBeInstanceOf(Request);
    expect(clone.method).toBe('POST');
    expect(clone.headers.get('authorization')).toBe('Bearer sandbox-token');
    expect(await clone.text()).toBe('{"a":1}');
    expect(await request.clone().text()).toBe('{"a":1}');
  });

  it.each([
    ['a string', '{"a":1}', true],
    ['no', undefined, true],
    ['a byte array', new Uint8Array([1]), false],
    ['a form', new FormData(), false],
  ])('is sent from its init with %s body: %s', (_, body, reusable) => {
    const request = new LightRequest(URL_, { method: 'POST', body, redirect: 'follow' });
    request.headers.set('Authorization', 'Bearer sandbox-token');
    const init = ReusableRequest.reusableInit(request);
    if (!reusable) {
      expect(init).toBeUndefined();
      return;
    }
    expect(init).toMatchObject({ method: 'POST', body, redirect: 'follow' });
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer sandbox-token');
  });
});

describe('requestClassFor', () => {
  it.each([
    [true, LightRequest],
    [false, ReusableRequest],
  ])('builds, while light() is %s, a %o', (light, kind) => {
    const ClientRequest = requestClassFor(() => light);
    const request: unknown = new ClientRequest(URL_, { method: 'POST', body: '{}' });
    expect(Object.getPrototypeOf(request)).toBe(kind.prototype);
  });

  it.each([
    ['a light request', () => new LightRequest(URL_), true],
    ['a reusable request', () => new ReusableRequest(URL_), true],
    ['a plain Request', () => new Request(URL_), true],
    ['a Response', () => new Response('x'), false],
    ['a plain object', () => ({ url: URL_, method: 'GET' }), false],
  ])('takes %s as one of its own: %s', (_, make, expected) => {
    const ClientRequest = requestClassFor(() => true);
    expect(make() instanceof ClientRequest).toBe(expected);
  });
});
