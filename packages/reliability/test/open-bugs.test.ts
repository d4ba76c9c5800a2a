/**
 * Regression tests of bugs found by the reliability suites in other packages, still open. Each is
 * `it.fails` while the bug stands: the day it is fixed the test "unexpectedly passes", and the
 * `.fails` comes off (and the bug leaves `open-bugs.ts` and RELIABILITY.md's open list).
 */
import { type Sandbox, startSandbox } from '@bulk-clients/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5, validateResponses: 'record' });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('sandbox: bodies of operations that declare none', () => {
  // packages/sandbox/src/server.ts parses every JSON body (line 215), even for an operation with
  // no requestBody, and answers malformed JSON with a 400 the operation does not declare.
  it.fails('answers a vault retry with a stray malformed JSON body within the spec', async () => {
    const uuid = '8a2b4c6d-1e3f-4a5b-8c7d-9e0f1a2b3c4d';
    const response = await fetch(`${sandbox.url}/business/certificate-vault/${uuid}/retry`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-token', 'content-type': 'application/json' },
      body: '{bad',
    });
    await response.arrayBuffer();
    expect(sandbox.violations).toEqual([]);
  });
});
