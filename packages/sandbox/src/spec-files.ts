/**
 * Finding and reading the vendors' OpenAPI files. The package ships copies in its own `specs/`
 * folder (made by `scripts/copy-specs.mjs` at build time); inside the monorepo the repo's
 * `specs/` is the source of truth, so code running from `src/` reads that one first.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';

/** Thrown when a vendor's spec file cannot be found or read. */
export class SpecLoadError extends Error {
  readonly code = 'SPEC_LOAD_FAILED';
  readonly vendor: string;
  constructor(vendor: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpecLoadError';
    this.vendor = vendor;
  }
}

const packageSpecs = new URL('../specs/', import.meta.url);
const repoSpecs = new URL('../../../specs/', import.meta.url);
const runningFromSource = /\/src\/[^/]+$/.test(fileURLToPath(import.meta.url));

/** The folders searched for `<vendor>/openapi.yaml`, in order. */
export function defaultSpecDirs(): string[] {
  const dirs = [fileURLToPath(packageSpecs), fileURLToPath(repoSpecs)];
  return runningFromSource ? dirs.reverse() : dirs;
}

/** The path of a vendor's spec: the first `<dir>/<vendor>/openapi.yaml` that exists. */
export function findSpecFile(
  vendor: string,
  specDirs: readonly string[] = defaultSpecDirs(),
): string {
  const tried: string[] = [];
  for (const dir of specDirs) {
    const file = fileURLToPath(
      new URL(`${encodeURIComponent(vendor)}/openapi.yaml`, pathToFileURL(withSlash(dir))),
    );
    if (existsSync(file)) return file;
    tried.push(file);
  }
  throw new SpecLoadError(
    vendor,
    `No OpenAPI spec for "${vendor}": looked for ${tried.join(' and ')}. Build the package (it copies the repo's specs/) or pass \`specsDir\`.`,
  );
}

/** Reads a YAML or JSON document. */
export function readDocument(vendor: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SpecLoadError(vendor, `Cannot read ${file}`, { cause });
  }
  try {
    return parseYaml(text, { maxAliasCount: -1 });
  } catch (cause) {
    throw new SpecLoadError(vendor, `Cannot parse ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
}

function withSlash(dir: string): string {
  return dir.endsWith('/') ? dir : `${dir}/`;
}
