#!/usr/bin/env node
// Copies the repo's specs/<vendor>/ folders into this package's specs/, so the published package
// validates against the same files the clients are generated from. The copy is git-ignored.
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../../specs/', import.meta.url));
const target = fileURLToPath(new URL('../specs/', import.meta.url));

if (!existsSync(source)) {
  console.error(`copy-specs: ${source} not found; keeping ${target} as it is`);
  process.exit(0);
}
rmSync(target, { recursive: true, force: true });
const copied = [];
for (const entry of readdirSync(source)) {
  const folder = `${source}${entry}`;
  if (!statSync(folder).isDirectory() || !existsSync(`${folder}/openapi.yaml`)) continue;
  cpSync(folder, `${target}${entry}`, { recursive: true });
  copied.push(entry);
}
console.log(`copy-specs: copied ${copied.length ? copied.join(', ') : 'no specs'} to specs/`);
