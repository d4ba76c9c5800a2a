/**
 * `refuseWholeBatch`: one bad input refuses its whole batch with a 400 that names no input, as
 * HubSpot does for some object types, so that a client has to split the batch to find it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHubSpotSimulator } from '../src/hubspot/index.js';
import { createRandom, createUuid } from '../src/random.js';
import { errors, type Json, startObjectsSandbox, VERSIONS } from './fixtures/hubspot-objects.js';

const { post, store, hubspot } = await startObjectsSandbox();

afterEach(() => {
  hubspot().refuseWholeBatch = false;
});

const operations = [
  {
    operation: 'update',
    inputs: [
      { id: '61', properties: { firstname: 'Fine' } },
      { id: '62', properties: { lastmodifieddate: '0' } },
    ],
  },
  {
    operation: 'upsert',
    inputs: [
      { id: 'contact61@example.com', idProperty: 'email', properties: { lastname: 'Fine' } },
      { id: 'contact62@example.com', idProperty: 'email', properties: { no_such: 'x' } },
    ],
  },
  {
    operation: 'create',
    inputs: [{ properties: { firstname: 'Fine' } }, { properties: { lifecyclestage: 'nope' } }],
  },
];

describe.each(VERSIONS)('at $version', ({ base }) => {
  describe.each(operations)('$operation', ({ operation, inputs }) => {
    it('refuses the whole batch with a 400 naming no input, and writes nothing', async () => {
      hubspot().refuseWholeBatch = true;
      const contacts = store('contacts');
      const [writes, size] = [contacts.writeLog.length, contacts.records.size];
      const { status, body } = await post(`${base('contacts')}/${operation}`, { inputs });
      expect(status).toBe(400);
      expect(body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
      expect(String(body.message)).toMatch(/^Property values were not valid/);
      expect(body).not.toHaveProperty('context');
      const named = JSON.stringify(body);
      for (const id of ['61', '62', 'contact62@example.com']) expect(named).not.toContain(id);
      expect((body.errors as Json[]).length).toBe(1);
      expect([contacts.writeLog.length, contacts.records.size]).toEqual([writes, size]);
    });

    it('fails only the bad input, in a 207, when switched off', async () => {
      const { status, body } = await post(`${base('contacts')}/${operation}`, { inputs });
      expect(status).toBe(207);
      expect(errors(body)).toHaveLength(1);
    });
  });

  it('lets a batch of good inputs through while switched on', async () => {
    hubspot().refuseWholeBatch = true;
    const { status } = await post(`${base('contacts')}/update`, {
      inputs: [{ id: '63', properties: { firstname: 'Fine' } }],
    });
    expect(status).toBe(200);
  });
});

it('applies to the ticket paths too', async () => {
  hubspot().refuseWholeBatch = true;
  const { status, body } = await post('/crm/v3/objects/tickets/batch/update', {
    inputs: [{ id: '64', properties: { hs_ticket_priority: 'SOMEDAY' } }],
  });
  expect(status).toBe(400);
  expect(String(body.message)).toContain('INVALID_OPTION');
});

it('can be switched on when the simulator is created', () => {
  const random = createRandom('refuse');
  const ctx = {
    now: () => 0,
    random,
    uuid: createUuid(random),
    jobMs: () => 0,
    jobShouldFail: () => false,
  };
  const simulator = createHubSpotSimulator(ctx, { token: 't', tickets: 1, refuseWholeBatch: true });
  expect(simulator.state.refuseWholeBatch).toBe(true);
});
