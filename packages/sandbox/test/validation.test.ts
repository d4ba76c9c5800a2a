import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSpecDirs } from '../src/spec-files.js';
import { loadSpec, SpecLoadError, type VendorSpec } from '../src/spec-validator.js';
import { fixtureSpecsDir } from './fixtures/widgets-simulator.js';

const widgets = loadSpec('widgets', [fixtureSpecsDir]);
const split = loadSpec('split', [fixtureSpecsDir]);

function operation(spec: VendorSpec, key: string) {
  const [method = '', path = ''] = key.split(' ');
  const found = spec.operation(method, path);
  if (!found) throw new Error(`no ${key}`);
  return found;
}

function request(parts: { body?: unknown; query?: string; params?: Record<string, string> }) {
  return {
    params: parts.params ?? {},
    query: new URLSearchParams(parts.query ?? ''),
    mediaType: 'application/json',
    body: parts.body,
    hasBody: parts.body !== undefined,
  };
}

describe('loadSpec', () => {
  it('names the vendor and the places it looked when a spec is missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'sandbox-specs-'));
    expect(() => loadSpec('nowhere', [empty])).toThrow(SpecLoadError);
    expect(() => loadSpec('nowhere', [empty])).toThrow(
      `No OpenAPI spec for "nowhere": looked for ${join(empty, 'nowhere', 'openapi.yaml')}`,
    );
  });

  it('rejects a file that is not an OpenAPI document', () => {
    expect(() => loadSpec('not-openapi', [fixtureSpecsDir])).toThrow(/no `paths`/);
  });

  it('lists every operation with its media types and statuses', () => {
    expect(operation(widgets, 'POST /widgets/v1/batch/update')).toMatchObject({
      requestMediaTypes: ['application/json'],
      requestBodyRequired: true,
      responseStatuses: ['200', '400', '401', '413', '415', '429', '5XX'],
    });
  });

  it('follows $refs into other files, for path items, parameters, bodies and responses', () => {
    const create = operation(split, 'POST /split/v1/things');
    expect(create.requestMediaTypes).toEqual(['application/json']);
    expect(
      split.validateRequest(create, request({ body: { things: [{ name: 'toolong' }] } })),
    ).toEqual([
      { pointer: '/things/0/name', message: 'must NOT have more than 5 characters', in: 'body' },
    ]);
    expect(split.validateResponse(create, 201, 'application/json', { name: 'ok' })).toEqual([]);
    expect(split.validateResponse(create, 422, 'application/problem+json', {})).toEqual([
      { pointer: '/title', message: 'is required', in: 'body' },
    ]);
  });
});

describe('validateRequest', () => {
  const update = operation(widgets, 'POST /widgets/v1/batch/update');

  it('accepts a valid body', () => {
    const body = { inputs: [{ id: '1', properties: { color: 'red' } }] };
    expect(widgets.validateRequest(update, request({ body }))).toEqual([]);
  });

  it.each([
    [{}, [{ pointer: '/inputs', message: 'is required', in: 'body' }]],
    [
      { inputs: [] },
      [{ pointer: '/inputs', message: 'must NOT have fewer than 1 items', in: 'body' }],
    ],
    [
      { inputs: [{ id: '1', properties: {} }], extra: 1 },
      [{ pointer: '/extra', message: 'is not allowed', in: 'body' }],
    ],
    [
      { inputs: [{ id: '1', properties: { color: 3 } }] },
      [{ pointer: '/inputs/0/properties/color', message: 'must be string', in: 'body' }],
    ],
  ])('reports %j with pointers', (body, problems) => {
    expect(widgets.validateRequest(update, request({ body }))).toEqual(problems);
  });

  it('requires a required body', () => {
    expect(widgets.validateRequest(update, request({}))).toEqual([
      { pointer: '', message: 'request body is required', in: 'body' },
    ]);
  });

  it('escapes parameter names in pointers', () => {
    const create = operation(split, 'POST /split/v1/things');
    const problems = split.validateRequest(
      create,
      request({ body: { things: [] }, query: 'dry%2Frun=maybe' }),
    );
    expect(problems).toEqual([
      {
        pointer: '/dry~1run',
        message: 'query parameter `dry/run` must be boolean',
        in: 'query',
        parameter: 'dry/run',
      },
    ]);
  });

  it('caps the number of problems', () => {
    const inputs = Array.from({ length: 60 }, () => ({ id: 1 }));
    expect(widgets.validateRequest(update, request({ body: { inputs } }))).toHaveLength(20);
  });
});

describe('validateResponse', () => {
  const item = operation(widgets, 'GET /widgets/v1/items/{id}');
  const widget = { id: '1', properties: {}, updatedAt: '2026-01-01T00:00:00Z' };

  it.each([
    ['an exact status', 200, widget, []],
    ['a status that falls back to default', 503, { status: 'error', message: 'x' }, []],
    ['a bad date-time format', 200, { ...widget, updatedAt: 'yesterday' }, ['/updatedAt']],
    ['a body that breaks the default response', 418, { status: 'nope' }, ['/message', '/status']],
  ])('checks %s', (_name, status, body, pointers) => {
    const problems = widgets.validateResponse(item, status, 'application/json', body);
    expect(problems.map((p) => p.pointer).sort()).toEqual(pointers);
  });

  it('reports a status the operation does not declare', () => {
    const update = operation(widgets, 'POST /widgets/v1/batch/update');
    expect(widgets.validateResponse(update, 404, 'application/json', {})).toEqual([
      { pointer: '', message: 'status 404 is not declared for POST /widgets/v1/batch/update' },
    ]);
  });

  it('reports an undeclared media type and a missing body', () => {
    expect(widgets.validateResponse(item, 200, 'text/html', widget)[0]?.message).toMatch(
      /media type text\/html is not declared/,
    );
    expect(widgets.validateResponse(item, 200, undefined, undefined)[0]?.message).toMatch(
      /must have a body/,
    );
  });
});

describe('the vendor specs', () => {
  const vendors = readdirSync(defaultSpecDirs()[0] ?? '', { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

  it.each(vendors)('%s compiles every request and response schema', (vendor) => {
    const spec = loadSpec(vendor);
    expect(spec.operations.length).toBeGreaterThan(0);
    for (const op of spec.operations) {
      expect(() => spec.validateRequest(op, request({ body: {} }))).not.toThrow();
      const responses = spec.resolve(op.definition.responses) ?? {};
      for (const status of op.responseStatuses) {
        const code = /^\d{3}$/.test(status)
          ? Number(status)
          : status === 'default'
            ? 599
            : Number(`${status[0]}00`);
        const content = spec.resolve(spec.resolve(responses[status])?.content) ?? {};
        for (const mediaType of Object.keys(content)) {
          expect(() => spec.validateResponse(op, code, mediaType, {})).not.toThrow();
        }
      }
    }
  });
});
