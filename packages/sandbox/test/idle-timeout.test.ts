import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';

let sandbox: Sandbox | undefined;

afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** Sends the start of a request, then goes silent; resolves with how long the server kept the socket. */
function stallMidBody(port: number, giveUpMs: number): Promise<{ closed: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        'POST /crm/v3/objects/tickets/batch/update HTTP/1.1\r\nhost: 127.0.0.1\r\n' +
          'authorization: Bearer sandbox-token\r\ncontent-type: application/json\r\n' +
          'content-length: 1000\r\n\r\n{"inputs":[',
      );
    });
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ closed: false, ms: performance.now() - started });
    }, giveUpMs);
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ closed: true, ms: performance.now() - started });
    });
  });
}

describe('a request whose body stops arriving', () => {
  it('is dropped after idleTimeoutMs of silence', async () => {
    sandbox = await startSandbox({ idleTimeoutMs: 200 });
    const result = await stallMidBody(sandbox.port, 5_000);
    expect(result.closed).toBe(true);
    expect(result.ms).toBeGreaterThanOrEqual(150);
  });

  it('is kept while idleTimeoutMs is 0', async () => {
    sandbox = await startSandbox({ idleTimeoutMs: 0 });
    const result = await stallMidBody(sandbox.port, 600);
    expect(result.closed).toBe(false);
  });

  it('refuses a negative idleTimeoutMs, naming it', async () => {
    await expect(startSandbox({ idleTimeoutMs: -1 })).rejects.toThrow(/idleTimeoutMs/);
  });
});
