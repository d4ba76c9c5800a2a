// Makes sure the system programs `npm test` needs are there before it starts. On a Debian
// machine where it runs as root with apt-get, it installs the missing packages; anywhere else it
// stops at once with the exact packages to install, rather than failing deep inside a test.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the tests need from the system, as Debian packages. Add a line here when a test starts
 * needing another program.
 */
export const PREREQUISITES = [
  {
    debianPackage: 'chromium',
    command: 'chromium',
    env: 'CHROMIUM_PATH',
    why: 'the docs portal test runs in a headless Chromium',
  },
  {
    debianPackage: 'redis-server',
    command: 'redis-server',
    why: 'the @bulk-clients/redis and distributed-run tests start a real Redis',
  },
  {
    debianPackage: 'openssl',
    command: 'openssl',
    why: 'the Redis-over-TLS test makes a certificate of its own',
  },
];

/**
 * Decides what to do from facts about the machine, passed in (types in the `.d.mts` beside):
 * nothing, install the missing packages (root with apt-get), or stop with what to install.
 */
export function planPrerequisites({ hasCommand, env, isRoot, prerequisites = PREREQUISITES }) {
  const missing = prerequisites.filter(
    (p) => !hasCommand(p.command) && (p.env === undefined || !env[p.env]),
  );
  if (missing.length === 0) return { action: 'none' };
  const packages = missing.map((p) => p.debianPackage);
  if (isRoot && hasCommand('apt-get')) {
    return {
      action: 'install',
      packages,
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages],
      ],
    };
  }
  const lines = [
    'npm test needs programs that are not installed:',
    ...missing.map((p) => `  ${p.command} (Debian package ${p.debianPackage}): ${p.why}`),
    'Install them, then run npm test again:',
    `  sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`,
  ];
  const alternatives = missing.filter((p) => p.env !== undefined);
  for (const p of alternatives) {
    lines.push(`or set ${p.env} to the path of a ${p.command} executable installed another way.`);
  }
  return { action: 'fail', packages, message: lines.join('\n') };
}

/** Whether an executable named `command` is on the PATH (what `command -v` answers). */
export function onPath(command, path = process.env.PATH ?? '') {
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(join(dir, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function machine() {
  return { hasCommand: (c) => onPath(c), env: process.env, isRoot: process.getuid?.() === 0 };
}

function main() {
  const plan = planPrerequisites(machine());
  if (plan.action === 'none') return 0;
  if (plan.action === 'fail') {
    process.stderr.write(`${plan.message}\n`);
    return 1;
  }
  process.stderr.write(`Installing ${plan.packages.join(', ')} for npm test (apt-get)\n`);
  for (const [command, ...args] of plan.commands) {
    const run = spawnSync(command, args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (run.status !== 0) {
      process.stderr.write(`${command} ${args.join(' ')} failed (exit code ${run.status})\n`);
      return 1;
    }
  }
  const after = planPrerequisites({ ...machine(), isRoot: false });
  if (after.action === 'fail') {
    process.stderr.write(`${after.message}\n`);
    return 1;
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();
