import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { auth, jsonAuth, startWidgets } from './fixtures/start-widgets.js';
import type { WidgetsState } from './fixtures/widgets-simulator.js';

let sandbox: Sandbox;
const state = () => sandbox.state.widgets as WidgetsState;

beforeAll(async () => {
  sandbox = await startWidgets({ maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await sandbox.close();
});

function post(path: string, body: unknown, headers: Record<string, string> = jsonAuth) {
  return fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('routing', () => {
  it('serves a route at its path template and changes state', async () => {
    const before = state().writes;
    const response = await post('/widgets/v1/batch/update', {
      inputs: [{ id: '3', properties: { color: 'green' } }],
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.results[0]).toMatchObject({ id: '3', properties: { color: 'green' } });
    expect(state().widgets.get('3')?.properties.color).toBe('green');
    expect(state().writes).toBe(before + 1);
  });

  it('fills path parameters from the template', async () => {
    const response = await fetch(`${sandbox.url}/widgets/v1/items/42`, { headers: auth });
    expect(response.status).toBe(200);
    expect((await response.json()).id).toBe('42');
  });

  it('answers an unknown route under a vendor prefix with 404 in the vendor shape', async () => {
    const response = await fetch(`${sandbox.url}/widgets/v1/nope`, { headers: auth });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      status: 'error',
      message: 'No route for GET /widgets/v1/nope',
    });
  });

  it('answers a path outside every vendor with a neutral JSON 404', async () => {
    const response = await fetch(`${sandbox.url}/elsewhere`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });

  it('answers a known path with another method with 405 and Allow', async () => {
    const response = await fetch(`${sandbox.url}/widgets/v1/batch/update`, { headers: auth });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect((await response.json()).status).toBe('error');
  });

  it('answers broken percent-encoding with 400 instead of throwing', async () => {
    const response = await fetch(`${sandbox.url}/widgets/v1/items/%E0%A4%A`, { headers: auth });
    expect(response.status).toBe(400);
  });
});

describe('auth', () => {
  it.each([
    ['no header', {}],
    ['another token', { authorization: 'Bearer other-token' }],
    ['another scheme', { authorization: 'Basic c2FuZGJveC10b2tlbg==' }],
  ])('rejects %s with the vendor 401', async (_name, headers) => {
    const response = await fetch(`${sandbox.url}/widgets/v1/items/1`, { headers });
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: 'error', message: 'Authentication required' });
    expect(text).not.toContain('other-token');
  });
});

describe('bodies', () => {
  it('answers malformed JSON with 400 in the vendor shape', async () => {
    const response = await post('/widgets/v1/batch/update', '{"inputs": [');
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.status).toBe('error');
    expect(body.message).toMatch(/^Malformed JSON body/);
  });

  it.each([
    ['malformed JSON', 'application/json'],
    ['a multipart body without a boundary', 'multipart/form-data'],
    ['a multipart body that never closes', 'multipart/form-data; boundary=X'],
  ])('ignores a stray body, %s, on an operation that declares none', async (_name, type) => {
    const response = await post('/widgets/v1/jobs', '{"inputs": [', {
      ...auth,
      'content-type': type,
    });
    expect(response.status).toBe(202);
    await response.arrayBuffer();
  });

  it('answers a media type the operation does not accept with 415', async () => {
    const response = await post('/widgets/v1/batch/update', 'inputs=1', {
      ...auth,
      'content-type': 'text/plain',
    });
    expect(response.status).toBe(415);
    expect((await response.json()).message).toContain('application/json');
  });

  it('rejects a body declared larger than the limit with 413 before reading it', async () => {
    const response = await post('/widgets/v1/batch/update', 'x'.repeat(65 * 1024));
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect((await response.json()).status).toBe('error');
  });

  it('stops a chunked body at the limit with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${sandbox.url}/widgets/v1/batch/update`, {
        method: 'POST',
        headers: { ...jsonAuth, 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // Keep sending until the server answers; it must not wait for the end.
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 1024 * 1024 && req.write(chunk)) sent += chunk.length;
      };
      req.on('drain', pump);
      pump();
    });
    expect(status).toBe(413);
  });

  it('parses multipart uploads into fields and files', async () => {
    const form = new FormData();
    form.set('label', 'report');
    form.set('file', new Blob([Buffer.alloc(5000, 7)], { type: 'application/pdf' }), 'r.pdf');
    const response = await fetch(`${sandbox.url}/widgets/v1/upload`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toMatchObject({ size: 5000, label: 'report' });
    expect(state().uploads.at(-1)).toEqual({
      fileId: body.file_id,
      name: 'r.pdf',
      size: 5000,
      label: 'report',
    });
  });

  it('answers a multipart body without its closing boundary with 400', async () => {
    const response = await post(
      '/widgets/v1/upload',
      '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
      { ...auth, 'content-type': 'multipart/form-data; boundary=xyz' },
    );
    expect(response.status).toBe(400);
    expect((await response.json()).message).toMatch(/closing boundary/);
  });
});

describe('request validation', () => {
  it('reports body problems with JSON pointers through vendor.invalid', async () => {
    const response = await post('/widgets/v1/batch/update', { inputs: [{ id: 5 }] });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.problems).toEqual(
      expect.arrayContaining([
        { pointer: '/inputs/0/id', message: 'must be string', in: 'body' },
        { pointer: '/inputs/0/properties', message: 'is required', in: 'body' },
      ]),
    );
  });

  it.each([
    ['/widgets/v1/items?limit=11', 'query', 'limit'],
    ['/widgets/v1/items?tag=green', 'query', 'tag'],
    ['/widgets/v1/items/abc', 'path', 'id'],
  ])('rejects %s naming the %s parameter', async (path, where, name) => {
    const response = await fetch(`${sandbox.url}${path}`, { headers: auth });
    expect(response.status).toBe(400);
    const [problem] = (await response.json()).problems;
    expect(problem).toMatchObject({ in: where, parameter: name });
  });

  it('coerces query values to the declared types', async () => {
    const response = await fetch(`${sandbox.url}/widgets/v1/items?limit=2&tag=red&tag=blue`, {
      headers: auth,
    });
    expect(response.status).toBe(200);
    expect((await response.json()).results).toHaveLength(2);
  });

  it('leaves validation to the handler when the route turns it off', async () => {
    const response = await post('/widgets/v1/lenient', { inputs: 'not an array' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: { inputs: 'not an array' } });
  });

  it('rejects a missing required body', async () => {
    const response = await fetch(`${sandbox.url}/widgets/v1/batch/update`, {
      method: 'POST',
      headers: jsonAuth,
    });
    expect(response.status).toBe(400);
    expect((await response.json()).problems[0].message).toBe('request body is required');
  });
});

describe('robustness', () => {
  it('answers a throwing handler with a 500 in the vendor shape and keeps serving', async () => {
    const response = await fetch(`${sandbox.url}/widgets/v1/items/1`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ status: 'error' });
    const next = await fetch(`${sandbox.url}/widgets/v1/items/1`, { headers: auth });
    expect(next.status).toBe(200);
  });

  it('answers garbage on the socket with 400 and keeps serving', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(sandbox.port, '127.0.0.1', () => {
        socket.write('NOT HTTP AT ALL\r\n\r\n');
      });
      let data = '';
      socket.on('data', (chunk) => {
        data += chunk;
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    const next = await fetch(`${sandbox.url}/widgets/v1/items/1`, { headers: auth });
    expect(next.status).toBe(200);
  });
});

describe('response validation', () => {
  it('records a response that breaks the spec', async () => {
    const before = sandbox.violations.length;
    const response = await fetch(`${sandbox.url}/widgets/v1/broken`, { headers: auth });
    expect(response.status).toBe(200);
    expect(sandbox.violations.slice(before)).toEqual([
      expect.objectContaining({ operation: 'GET /widgets/v1/broken', status: 200 }),
    ]);
  });

  it('replaces it with a 500 naming the problem in throw mode', async () => {
    const strict = await startWidgets({ validateResponses: 'throw' });
    try {
      const response = await fetch(`${strict.url}/widgets/v1/broken`, { headers: auth });
      expect(response.status).toBe(500);
      expect(response.headers.get('x-sandbox-spec-violation')).toBe('true');
      expect((await response.json()).message).toContain('/properties is required');
    } finally {
      await strict.close();
    }
  });

  it('records nothing for conforming responses', async () => {
    const fresh = await startWidgets();
    try {
      await fetch(`${fresh.url}/widgets/v1/items?limit=3`, { headers: auth });
      await fetch(`${fresh.url}/widgets/v1/items/999`, { headers: auth });
      expect(fresh.violations).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe('lifecycle', () => {
  it('closes keep-alive connections on close()', async () => {
    const own = await startWidgets();
    const first = await fetch(`${own.url}/widgets/v1/items/1`, { headers: auth });
    await first.arrayBuffer();
    const started = performance.now();
    await own.close();
    // Without closeAllConnections the idle keep-alive socket would hold close() for seconds.
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(fetch(`${own.url}/widgets/v1/items/1`, { headers: auth })).rejects.toThrow();
  });

  it('exposes simulator state by vendor name', () => {
    expect(Object.keys(sandbox.state)).toEqual(['widgets']);
    expect(state().widgets.size).toBe(200);
  });

  it.each([
    [{ port: -1 }, 'port'],
    [{ maxBodyBytes: 0 }, 'maxBodyBytes'],
    [{ timeScale: 0 }, 'timeScale'],
    [{ errorRate: 2 }, 'errorRate'],
    [{ token: 'has space' }, 'token'],
    [{ validateResponses: 'loud' }, 'validateResponses'],
  ])('throws a TypeError naming a bad option %j', async (options, name) => {
    await expect(startWidgets(options as never)).rejects.toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringContaining(name) }),
    );
  });
});

describe('connections', () => {
  it('keeps the connection open after a 404 without a body', async () => {
    const response = await fetch(`${sandbox.url}/widgets/v1/nope`, { headers: auth });
    await response.arrayBuffer();
    expect(response.headers.get('connection')).toBe('keep-alive');
  });

  it('closes the connection after answering before an unread body', async () => {
    const response = await post('/widgets/v1/nope', { inputs: [] });
    await response.arrayBuffer();
    expect(response.status).toBe(404);
    expect(response.headers.get('connection')).toBe('close');
  });
});
