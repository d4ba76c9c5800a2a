/**
 * What each object batch operation does to the records: create is not idempotent, upsert finds
 * or creates by a unique property, read returns the asked properties (with history at most 50
 * inputs), archive is harmless to repeat.
 */
import { describe, expect, it } from 'vitest';
import {
  errors,
  propertiesOf,
  results,
  startObjectsSandbox,
  VERSIONS,
} from './fixtures/hubspot-objects.js';

const { post, store } = await startObjectsSandbox();

describe.each(VERSIONS)('at $version', ({ base }) => {
  it('creates a new record for every create, even for the same input twice', async () => {
    const contacts = store('contacts');
    const before = contacts.records.size;
    const input = { properties: { firstname: 'Twice' }, objectWriteTraceId: 'row-1' };
    const first = await post(`${base('contacts')}/create`, { inputs: [input] });
    const second = await post(`${base('contacts')}/create`, { inputs: [input] });
    expect([first.status, second.status]).toEqual([201, 201]);
    const ids = [results(first.body)[0]?.id, results(second.body)[0]?.id];
    expect(new Set(ids).size).toBe(2);
    expect(contacts.records.size).toBe(before + 2);
    expect(results(first.body)[0]?.objectWriteTraceId).toBe('row-1');
  });

  it('fails a create that takes a unique value another record holds', async () => {
    const { status, body } = await post(`${base('contacts')}/create`, {
      inputs: [{ properties: { email: 'contact3@example.com' } }],
    });
    expect(status).toBe(207);
    expect(errors(body)[0]).toMatchObject({ category: 'CONFLICT', context: { ids: ['0'] } });
  });

  it('upserts by a unique property: updates the holder, or creates one holding the value', async () => {
    const email = `new-${base('x').length}@example.com`;
    const { status, body } = await post(`${base('contacts')}/upsert`, {
      inputs: [
        { id: 'contact8@example.com', idProperty: 'email', properties: { lastname: 'Kept' } },
        { id: email, idProperty: 'email', properties: { firstname: 'New' } },
      ],
    });
    expect(status).toBe(200);
    const [updated, created] = results(body);
    expect(updated).toMatchObject({ id: '8', new: false });
    expect(created).toMatchObject({ new: true });
    expect(propertiesOf(created).email).toBe(email);
    expect(store('contacts').records.get(String(created?.id))?.properties.email).toBe(email);
  });

  it('upserts the custom object by its unique vin', async () => {
    const { status, body } = await post(`${base('p_cars')}/upsert`, {
      inputs: [{ id: 'VIN000009', idProperty: 'vin', properties: { color: 'red' } }],
    });
    expect(status).toBe(200);
    expect(results(body)[0]).toMatchObject({ id: '9', new: false });
  });

  it('refuses a property without unique values as idProperty', async () => {
    const { status, body } = await post(`${base('companies')}/upsert`, {
      inputs: [{ id: 'x.example.com', idProperty: 'domain', properties: {} }],
    });
    expect(status).toBe(207);
    expect(String(errors(body)[0]?.message)).toContain('does not have unique values');
  });

  it('reads the asked properties, with history, and reports unknown ids in a 207', async () => {
    const { status, body } = await post(`${base('deals')}/read`, {
      inputs: [{ id: '4' }, { id: '999999' }],
      properties: ['dealname', 'no_such_property'],
      propertiesWithHistory: ['amount'],
    });
    expect(status).toBe(207);
    const [deal] = results(body);
    expect(propertiesOf(deal)).toMatchObject({ dealname: 'Deal 4', amount: '400' });
    expect(propertiesOf(deal)).not.toHaveProperty('no_such_property');
    expect(deal?.propertiesWithHistory).toEqual({
      amount: [expect.objectContaining({ value: '400', sourceType: 'API' })],
    });
    expect(errors(body)).toMatchObject([
      { category: 'OBJECT_NOT_FOUND', context: { ids: ['999999'] } },
    ]);
  });

  it('reads at most 50 inputs when asked for history, 100 otherwise', async () => {
    const inputs = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i + 1) }));
    const read = (n: number, propertiesWithHistory: string[]) =>
      post(`${base('products')}/read`, {
        inputs: inputs(n),
        properties: [],
        propertiesWithHistory,
      });
    expect((await read(50, ['price'])).status).toBe(200);
    expect((await read(51, ['price'])).status).toBe(400);
    expect((await read(100, [])).status).toBe(200);
  });

  it('archives with 204, ignores missing ids, and reads archived records with archived=true', async () => {
    const id = base('x').includes('v3') ? '90' : '91';
    const archive = () =>
      post(`${base('line_items')}/archive`, { inputs: [{ id }, { id: '999999' }] });
    expect((await archive()).status).toBe(204);
    expect((await archive()).status).toBe(204);
    expect(store('line_items').records.get(id)?.archived).toBe(true);
    expect(store('line_items').writeCounts.get(id)).toBe(1);
    const active = await post(`${base('line_items')}/read`, {
      inputs: [{ id }],
      properties: [],
      propertiesWithHistory: [],
    });
    expect(active.status).toBe(207);
    const archived = await post(`${base('line_items')}/read?archived=true`, {
      inputs: [{ id }],
      properties: [],
      propertiesWithHistory: [],
    });
    expect(results(archived.body)[0]).toMatchObject({ id, archived: true });
  });
});
