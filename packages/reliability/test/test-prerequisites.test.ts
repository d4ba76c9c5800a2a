/**
 * `scripts/test-prerequisites.mjs`, which `npm test` and `.ci/run` run first: what it decides
 * from the machine's facts (which programs are on the PATH, root or not), without running apt.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPath, PREREQUISITES, planPrerequisites } from '../../../scripts/test-prerequisites.mjs';

const all = PREREQUISITES;
const having =
  (...commands: string[]) =>
  (command: string) =>
    commands.includes(command);

describe('planPrerequisites', () => {
  it('does nothing when every program is there', () => {
    const hasCommand = having('chromium', 'redis-server', 'openssl');
    expect(planPrerequisites({ hasCommand, env: {}, isRoot: true })).toEqual({
      action: 'none',
    });
  });

  it('takes CHROMIUM_PATH in place of chromium on the PATH', () => {
    const env = { CHROMIUM_PATH: '/opt/chrome/chrome' };
    const hasCommand = having('redis-server', 'openssl');
    expect(planPrerequisites({ hasCommand, env, isRoot: false }).action).toBe('none');
  });

  it('installs exactly the missing packages as root with apt-get', () => {
    const plan = planPrerequisites({
      hasCommand: having('apt-get', 'chromium', 'openssl'),
      env: {},
      isRoot: true,
      prerequisites: all,
    });
    expect(plan).toEqual({
      action: 'install',
      packages: ['redis-server'],
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'redis-server'],
      ],
    });
  });

  it.each([
    ['not root', having('apt-get'), false],
    ['root without apt-get', having(), true],
  ])('stops with what to install when %s', (_, hasCommand, isRoot) => {
    const plan = planPrerequisites({ hasCommand, env: {}, isRoot, prerequisites: all });
    expect(plan.action).toBe('fail');
    if (plan.action !== 'fail') return;
    expect(plan.packages).toEqual(['chromium', 'redis-server', 'openssl']);
    expect(plan.message).toContain('sudo apt-get install -y chromium redis-server openssl');
    expect(plan.message).toContain('set CHROMIUM_PATH');
  });
});

describe('onPath', () => {
  it('finds an executable file on the PATH and nothing else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prerequisites-'));
    await writeFile(join(dir, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(dir, 'data'), '', { mode: 0o644 });
    expect(onPath('tool', dir)).toBe(true);
    expect(onPath('data', dir)).toBe(false);
    expect(onPath('tool', '')).toBe(false);
  });
});
