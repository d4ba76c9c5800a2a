// Proves that Biome refuses an import cycle, even a type-only one: writes two modules that import
// each other's types into a scratch folder inside the repository (so that biome.json applies),
// lints them, and fails unless Biome reports `noImportCycles`. A pair importing in one direction
// only must lint clean, so the failure is the rule's and not something else's.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = join(root, 'scripts', `.import-cycle-check-${process.pid}`);

function lint(files) {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(scratch, name), text);
  const biome = join(root, 'node_modules', '.bin', 'biome');
  const result = spawnSync(biome, ['lint', '--colors=off', relative(root, scratch)], {
    cwd: root,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const oneWay = {
  'shape.ts': 'export interface Shape {\n  sides: number;\n}\n',
  'area.ts':
    "import type { Shape } from './shape.js';\n\nexport function sides(shape: Shape): number {\n  return shape.sides;\n}\n",
};
const cycle = {
  'shape.ts':
    "import type { sides } from './area.js';\n\nexport interface Shape {\n  sides: number;\n  count: typeof sides;\n}\n",
  'area.ts': oneWay['area.ts'],
};

try {
  const clean = lint(oneWay);
  if (clean.status !== 0) {
    console.error(`Biome refused modules without a cycle:\n${clean.output}`);
    process.exitCode = 1;
  } else {
    const refused = lint(cycle);
    if (refused.status === 0 || !refused.output.includes('noImportCycles')) {
      console.error(
        `Biome accepted two modules that import each other's types; is noImportCycles on with ignoreTypes: false?\n${refused.output}`,
      );
      process.exitCode = 1;
    } else {
      console.log('Biome refuses import cycles, type-only ones included.');
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
