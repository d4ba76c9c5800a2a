// Copies the OpenAPI specs into the package (packages/cli/specs/) so that an installed CLI can
// validate records against them without the monorepo around it, each with a JSON copy of its YAML
// (`openapi.json`), which the CLI reads at start in a fraction of the YAML's parsing time. Run
// after `tsc` by `build`.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

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
let converted = 0;
for (const entry of readdirSync(target, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.ya?ml$/.test(entry.name)) continue;
  const yamlPath = join(entry.parentPath ?? entry.path, entry.name);
  const jsonPath = yamlPath.replace(/\.ya?ml$/, '.json');
  if (existsSync(jsonPath)) continue;
  // Written after the YAML, so never older than it.
  writeFileSync(jsonPath, `${JSON.stringify(parse(readFileSync(yamlPath, 'utf8')))}\n`);
  converted += 1;
}
console.log(`copy-specs: ${source} -> ${target} (${converted} parsed to JSON)`);
