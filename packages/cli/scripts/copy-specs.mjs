// Copies the OpenAPI specs into the package (packages/cli/specs/) so that an installed CLI can
// validate records against them without the monorepo around it. Run after `tsc` by `build`.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../../../specs/', import.meta.url));
const target = fileURLToPath(new URL('../specs/', import.meta.url));

if (!existsSync(source)) {
  console.error(`copy-specs: ${source} does not exist`);
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
cpSync(source, target, {
  recursive: true,
  // The specs and the files they may reference; nothing else (notes, scratch files).
  filter: (path) => !/\.[^/]+$/.test(path) || /\.(ya?ml|json)$/.test(path),
});
console.log(`copy-specs: ${source} -> ${target}`);
