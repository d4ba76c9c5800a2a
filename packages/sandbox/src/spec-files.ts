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

/** Where a bundled document keeps the files its `$ref`s pointed to. */
export const BUNDLED_FILES_KEY = 'x-sandbox-files';

/**
 * Reads a spec and every file its `$ref`s name, and returns one document whose references are
 * all local: each other file is placed under `x-sandbox-files/<n>` and references into it are
 * rewritten. Validation then needs only JSON pointers into a single document.
 */
export function readBundledDocument(vendor: string, file: string): unknown {
  const root = pathToFileURL(file).href;
  const indexes = new Map<string, number>([[root, -1]]);
  const files: unknown[] = [];
  const rewrite = (value: unknown, base: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => rewrite(item, base));
    if (value === null || typeof value !== 'object') return value;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] =
        key === '$ref' && typeof item === 'string' ? localRef(item, base) : rewrite(item, base);
    }
    return copy;
  };
  const localRef = (ref: string, base: string): string => {
    const url = new URL(ref, base);
    const fragment = url.hash.slice(1);
    url.hash = '';
    if (url.protocol !== 'file:') return ref;
    let index = indexes.get(url.href);
    if (index === undefined) {
      index = files.length;
      indexes.set(url.href, index);
      files.push(undefined);
      files[index] = rewrite(readDocument(vendor, fileURLToPath(url)), url.href);
    }
    const prefix = index === -1 ? '' : `/${BUNDLED_FILES_KEY}/${index}`;
    const pointer =
      fragment === '' || fragment === '/'
        ? ''
        : fragment.startsWith('/')
          ? fragment
          : `/${fragment}`;
    return `#${prefix}${pointer}`;
  };
  const document = rewrite(readDocument(vendor, file), root);
  if (files.length > 0 && document !== null && typeof document === 'object') {
    (document as Record<string, unknown>)[BUNDLED_FILES_KEY] = files;
  }
  return document;
}
