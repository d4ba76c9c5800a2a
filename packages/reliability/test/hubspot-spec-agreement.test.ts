/**
 * `scripts/hubspot-spec-agreement.mjs`, which measures how far our HubSpot spec agrees with
 * HubSpot's published one: how it walks a body into property paths and what counts as agreeing.
 */
import { describe, expect, it } from 'vitest';
import {
  compareBodies,
  formatReport,
  measureAgreement,
  operationBodies,
  propertyPaths,
} from '../../../scripts/hubspot-spec-agreement.mjs';

const PATH = '/crm/v3/objects/{objectType}/batch/update';

/** A small spec with one batch operation whose bodies are built from `schemas`. */
function spec(schemas: Record<string, unknown>, responses = ['200', '207']) {
  return {
    paths: {
      [PATH]: {
        post: {
          requestBody: {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Input' } } },
          },
          responses: Object.fromEntries(
            responses.map((status) => [
              status,
              {
                content: {
                  'application/json': {
                    schema: { $ref: `#/components/schemas/${status === '207' ? 'Multi' : 'Ok'}` },
                  },
                },
              },
            ]),
          ),
        },
      },
    },
    components: { schemas },
  };
}

const input = {
  type: 'object',
  required: ['inputs'],
  properties: {
    inputs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'string' },
          properties: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
};
const ok = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['COMPLETE', 'PENDING'] } },
};

describe('propertyPaths', () => {
  it('walks properties and array items, and treats a map as one property', () => {
    const paths = propertyPaths({}, input);
    expect([...paths.keys()]).toEqual(['inputs', 'inputs[].id', 'inputs[].properties']);
    expect(paths.get('inputs[].id')).toEqual({ type: 'string', required: true, enum: undefined });
    expect(paths.get('inputs[].properties')?.required).toBe(false);
  });

  it('merges allOf parts, joining their properties and required lists', () => {
    const document = {
      components: {
        schemas: {
          Ok: ok,
          Errors: {
            type: 'object',
            required: ['numErrors'],
            properties: { numErrors: { type: 'integer' } },
          },
        },
      },
    };
    const paths = propertyPaths(document, {
      allOf: [{ $ref: '#/components/schemas/Ok' }, { $ref: '#/components/schemas/Errors' }],
    });
    expect(paths.get('status')?.enum).toEqual(['COMPLETE', 'PENDING']);
    expect(paths.get('numErrors')).toEqual({ type: 'integer', required: true, enum: undefined });
  });

  it('stops at a schema that contains itself', () => {
    const document = {
      components: {
        schemas: {
          Node: { type: 'object', properties: { child: { $ref: '#/components/schemas/Node' } } },
        },
      },
    };
    expect([...propertyPaths(document, { $ref: '#/components/schemas/Node' }).keys()]).toEqual([
      'child',
    ]);
  });
});

describe('compareBodies', () => {
  const theirs = spec({
    Input: input,
    Ok: ok,
    Multi: { ...ok, properties: { ...ok.properties, numErrors: { type: 'integer' } } },
  });

  it('agrees on every property of identical bodies', () => {
    const bodies = operationBodies(theirs, PATH);
    expect(compareBodies(bodies, bodies)).toEqual({ agree: 6, total: 6, disagreements: [] });
  });

  it.each([
    [
      'a type',
      { ...ok, properties: { status: { type: 'integer', enum: ['COMPLETE', 'PENDING'] } } },
      "ours integer, required, enum COMPLETE,PENDING; HubSpot's string, required, enum COMPLETE,PENDING",
    ],
    [
      'required-ness',
      { ...ok, required: [] },
      "ours string, optional, enum COMPLETE,PENDING; HubSpot's string, required, enum COMPLETE,PENDING",
    ],
    [
      'an enum',
      { ...ok, properties: { status: { type: 'string', enum: ['COMPLETE'] } } },
      "ours string, required, enum COMPLETE; HubSpot's string, required, enum COMPLETE,PENDING",
    ],
    [
      'a missing property',
      { type: 'object', properties: {} },
      'missing from ours (string, required, enum COMPLETE,PENDING)',
    ],
  ])('disagrees on %s', (_name, ourOk, reason) => {
    const ours = spec({ Input: input, Ok: ourOk, Multi: theirs.components.schemas.Multi });
    const result = compareBodies(operationBodies(ours, PATH), operationBodies(theirs, PATH));
    expect(result.total).toBe(6);
    expect(result.agree).toBe(5);
    expect(result.disagreements).toEqual([{ where: '200 status', reason }]);
  });

  it('counts a property only ours has against agreement', () => {
    const extra = { ...ok, properties: { ...ok.properties, mine: { type: 'string' } } };
    const ours = spec({ Input: input, Ok: extra, Multi: theirs.components.schemas.Multi });
    const result = compareBodies(operationBodies(ours, PATH), operationBodies(theirs, PATH));
    expect(result).toMatchObject({ agree: 6, total: 7 });
    expect(result.disagreements[0]?.reason).toBe("missing from HubSpot's (string, optional)");
  });
});

describe('measureAgreement', () => {
  const operations = [{ name: 'update', file: 'objects', path: PATH }];
  const theirs = spec({ Input: input, Ok: ok, Multi: ok });

  it('reports an operation our spec lacks as missing, with every property against it', () => {
    const result = measureAgreement({ paths: {} }, { objects: theirs }, operations);
    expect(result).toMatchObject({ agree: 0, total: 5, percent: 0 });
    expect(result.rows[0]?.missing).toBe(true);
    expect(formatReport(result)).toContain("update: not in our spec (5 properties in HubSpot's)");
  });

  it('prints per-operation and overall figures', () => {
    const ours = spec({ Input: input, Ok: ok, Multi: { ...ok, required: [] } });
    const report = formatReport(measureAgreement(ours, { objects: theirs }, operations));
    expect(report.split('\n').slice(0, 2)).toEqual([
      `update             4/5    80.0%  ${PATH}`,
      'overall            4/5    80.0%',
    ]);
    expect(report).toContain(
      "207 status: ours string, optional, enum COMPLETE,PENDING; HubSpot's string, required, enum COMPLETE,PENDING",
    );
  });
});
