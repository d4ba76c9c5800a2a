// Adds lockfile entries for the platform-specific optional binaries (Biome, turbo) that the
// package mirror some of our machines install from does not serve. Without them `npm ci` stops
// with "Missing: @biomejs/cli-darwin-arm64@ from lock file", because the lockfile then does not
// list every optional dependency its packages declare. The entries carry `os`/`cpu`/`libc`, so
// npm installs each one only on the platform it is for, exactly as with a lockfile written
// against the full registry. Run it after `npm install` changes package-lock.json;
// `--check` only reports missing entries (and fails), for CI.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const lockPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));

// Platform of each binary package, by name suffix.
const PLATFORMS = {
  '@biomejs/cli-': {
    'android-arm64': { os: ['android'], cpu: ['arm64'] },
    'android-x64': { os: ['android'], cpu: ['x64'] },
    'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
    'darwin-x64': { os: ['darwin'], cpu: ['x64'] },
    'linux-arm64': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
    'linux-arm64-musl': { os: ['linux'], cpu: ['arm64'], libc: ['musl'] },
    'linux-x64': { os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
    'linux-x64-musl': { os: ['linux'], cpu: ['x64'], libc: ['musl'] },
    'win32-arm64': { os: ['win32'], cpu: ['arm64'] },
    'win32-x64': { os: ['win32'], cpu: ['x64'] },
  },
  '@turbo/': {
    'darwin-64': { os: ['darwin'], cpu: ['x64'] },
    'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
    'linux-64': { os: ['android', 'linux'], cpu: ['x64'] },
    'linux-arm64': { os: ['android', 'linux'], cpu: ['arm64'] },
    'windows-64': { os: ['win32'], cpu: ['x64'] },
    'windows-arm64': { os: ['win32'], cpu: ['arm64'] },
  },
};

function platformOf(name) {
  for (const [prefix, table] of Object.entries(PLATFORMS)) {
    if (name.startsWith(prefix)) return table[name.slice(prefix.length)];
  }
  return undefined;
}

let added = 0;
for (const entry of Object.values(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const platform = platformOf(name);
    // Platform binaries have no dependencies of their own and are hoisted to the top level.
    const target = `node_modules/${name}`;
    if (!platform || lock.packages[target]) continue;
    lock.packages[target] = {
      version,
      ...(platform.cpu && { cpu: platform.cpu }),
      ...(entry.dev && { dev: true }),
      ...(platform.libc && { libc: platform.libc }),
      optional: true,
      ...(platform.os && { os: platform.os }),
    };
    added += 1;
  }
}
if (process.argv.includes('--check')) {
  if (added > 0) {
    console.error(
      `package-lock.json lacks ${added} platform entries: run \`node scripts/complete-lockfile.mjs\``,
    );
    process.exit(1);
  }
  console.log('package-lock.json lists every platform binary');
  process.exit(0);
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
  ),
);
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
