/**
 * The generic object batch paths of the HubSpot simulator: every standard type and the seeded
 * custom object, named by name, object type id or fully qualified name, at v3 and 2026-03, each
 * with its own property catalogue.
 */
import { describe, expect, it } from 'vitest';
import { CUSTOM_OBJECT_NAME, CUSTOM_OBJECT_TYPE_ID } from '../src/hubspot/index.js';
import {
  errors,
  type Json,
  propertiesOf,
  results,
  startObjectsSandbox,
  VERSIONS,
} from './fixtures/hubspot-objects.js';

const { post, store } = await startObjectsSandbox();

/** One writable property of each type and a value it accepts. */
const TYPES = [
  { type: 'contacts', property: 'firstname', value: 'Ada', lastModified: 'lastmodifieddate' },
  { type: 'companies', property: 'name', value: 'Biglytics', lastModified: 'hs_lastmodifieddate' },
  { type: 'deals', property: 'dealstage', value: 'closedwon', lastModified: 'hs_lastmodifieddate' },
  { type: 'tickets', property: 'subject', value: 'Jammed', lastModified: 'hs_lastmodifieddate' },
  { type: 'line_items', property: 'quantity', value: '3', lastModified: 'hs_lastmodifieddate' },
  { type: 'products', property: 'hs_sku', value: 'SKU-X', lastModified: 'hs_lastmodifieddate' },
  {
    type: CUSTOM_OBJECT_NAME,
    property: 'model',
    value: 'V90',
    lastModified: 'hs_lastmodifieddate',
  },
];

describe.each(VERSIONS)('at $version', ({ version, base }) => {
  describe.each(TYPES)('$type', ({ type, property, value, lastModified }) => {
    it('updates a seeded record and answers with its computed properties', async () => {
      const id = version === 'v3' ? '11' : '12';
      const { status, body } = await post(`${base(type)}/update`, {
        inputs: [{ id, properties: { [property]: value } }],
      });
      expect(status).toBe(200);
      const [record] = results(body);
      expect(record?.id).toBe(id);
      expect(propertiesOf(record)).toMatchObject({ [property]: value, hs_object_id: id });
      expect(propertiesOf(record)[lastModified]).toEqual(expect.any(String));
      expect(store(type).records.get(id)?.properties[property]).toBe(value);
      expect(store(type).writeCounts.get(id)).toBe(1);
    });

    it('fails an input naming an unknown or a read-only property in a 207', async () => {
      const { status, body } = await post(`${base(type)}/update`, {
        inputs: [
          { id: '21', properties: { no_such_property: 'x' } },
          { id: '22', properties: { hs_object_id: '5' } },
          { id: '23', properties: { [property]: value } },
        ],
      });
      expect(status).toBe(207);
      expect(results(body).map((r) => r.id)).toEqual(['23']);
      expect(errors(body).map((e) => [e.category, (e.context as Json).ids])).toEqual([
        ['VALIDATION_ERROR', ['21']],
        ['VALIDATION_ERROR', ['22']],
      ]);
      expect(errors(body).map((e) => (e.errors as Json[] | undefined)?.[0]?.code)).toEqual([
        'PROPERTY_DOESNT_EXIST',
        'READ_ONLY_VALUE',
      ]);
    });
  });

  it('takes the custom object by its type id and by its fully qualified name', async () => {
    for (const named of [CUSTOM_OBJECT_TYPE_ID, CUSTOM_OBJECT_NAME]) {
      const { status, body } = await post(`${base(named)}/read`, {
        inputs: [{ id: 'VIN000007' }],
        idProperty: 'vin',
        properties: ['make'],
        propertiesWithHistory: [],
      });
      expect(status).toBe(200);
      expect(results(body)[0]?.id).toBe('7');
    }
  });

  it('takes a standard object by its type id', async () => {
    const { status, body } = await post(`${base('0-1')}/read`, {
      inputs: [{ id: '5' }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(status).toBe(200);
    expect(propertiesOf(results(body)[0]).email).toBe('contact5@example.com');
  });

  it('refuses an object type it does not know with a 400', async () => {
    const { status, body } = await post(`${base('spaceships')}/update`, {
      inputs: [{ id: '1', properties: {} }],
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: 'Unable to infer object type from: spaceships',
    });
  });

  it('checks enumeration values against the type', async () => {
    const { status, body } = await post(`${base('deals')}/update`, {
      inputs: [{ id: '31', properties: { dealstage: 'won-ish' } }],
    });
    expect(status).toBe(207);
    expect(errors(body)[0]).toMatchObject({
      errors: [{ code: 'INVALID_OPTION', in: 'dealstage' }],
    });
  });
});

describe('tickets', () => {
  it('are one store behind the ticket paths and the object paths of both versions', async () => {
    await post('/crm/v3/objects/tickets/batch/update', {
      inputs: [{ id: '40', properties: { subject: 'one' } }],
    });
    await post('/crm/objects/2026-03/tickets/batch/update', {
      inputs: [{ id: '40', properties: { content: 'two' } }],
    });
    const { body } = await post('/crm/objects/2026-03/0-5/batch/read', {
      inputs: [{ id: '40' }],
      properties: ['subject', 'content'],
      propertiesWithHistory: [],
    });
    expect(propertiesOf(results(body)[0])).toMatchObject({ subject: 'one', content: 'two' });
    expect(store('tickets').writeCounts.get('40')).toBe(2);
  });
});
