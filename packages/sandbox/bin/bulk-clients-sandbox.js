#!/usr/bin/env node
// The committed entry point of `bulk-clients-sandbox`. npm links a workspace's bin only when its
// file exists at install time, and `dist/` is made later by the build: so the bin is this file,
// which loads the build, or says how to make it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/bin.js', import.meta.url);
if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  process.stderr.write(
    `bulk-clients-sandbox: not built yet (${fileURLToPath(built)} is missing).\n` +
      'Run `npm run build` first, at the root of the bulk-clients checkout.\n',
  );
  // 2, as for bad flags: the sandbox did not start.
  process.exitCode = 2;
}
