/**
 * A client that starts a request and goes silent must not hold the sandbox's connection (and the
 * body read so far) for long. Real vendors' front ends drop a silent request body within about a
 * minute (nginx's `client_body_timeout` is 60 s). Slow: it waits for the server's own timeout.
 */
import { type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawExchange, writeSome } from './raw-exchange.js';

/** A minute, like a vendor's front end, plus Node's 30 s check interval and a margin. */
const STALL_BOUND_MS = 95_000;

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5 });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('stalled requests', () => {
  // Was open: Node's defaults held a body that stopped midway for `requestTimeout`, 300 s. The
  // sandbox now drops a request silent for `idleTimeoutMs` (60 s by default).
  it('closes a connection whose body stops midway within the bound', async () => {
    const answer = await rawExchange(sandbox.port, {
      timeoutMs: STALL_BOUND_MS,
      write: async (socket) => {
        await writeSome(
          socket,
          'POST /crm/v3/objects/tickets/batch/update HTTP/1.1\r\nhost: 127.0.0.1\r\n' +
            'authorization: Bearer sandbox-token\r\ncontent-type: application/json\r\n' +
            'content-length: 1000\r\n\r\n{"inputs":[',
        );
      },
    });
    expect(answer.timedOut, 'the server still held the stalled connection').toBe(false);
    console.log(`stalled body: closed after ${(answer.ms / 1000).toFixed(1)} s`);
  });

  it('closes a connection whose headers stop midway within the bound', async () => {
    const answer = await rawExchange(sandbox.port, {
      timeoutMs: STALL_BOUND_MS,
      write: (socket) =>
        writeSome(socket, 'POST /crm/v3/objects/tickets/batch/update HTTP/1.1\r\nhost: 127'),
    });
    expect(answer.timedOut, 'the server still held the stalled connection').toBe(false);
    console.log(
      `stalled headers: closed after ${(answer.ms / 1000).toFixed(1)} s, status ${answer.status}`,
    );
  });
});
