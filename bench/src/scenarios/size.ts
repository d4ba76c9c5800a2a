/**
 * Scenario 6, size: each vendor package's ESM entry bundled with everything it imports
 * (esbuild, platform browser, format esm, minified), gzipped, next to openapi-fetch alone,
 * which every vendor package builds on. Core is listed for reference.
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { BenchContext, Row, ScenarioResult } from '../result-types.js';
import { summarize } from '../stats.js';
import { cell, targetCell } from '../table.js';

const VENDORS = [
  '@bulk-clients/hubspot',
  '@bulk-clients/thought-industries',
  '@bulk-clients/vec',
  '@bulk-clients/mpdx',
];
const ALLOWANCE_BYTES = 8 * 1024;

async function bundleSize(specifier: string, resolveDir: string) {
  const result = await build({
    stdin: { contents: `export * from '${specifier}';`, resolveDir, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    minify: true,
    target: 'es2022',
    logLevel: 'silent',
    metafile: true,
    // A Node built-in cannot be bundled for a browser; leave it out and say which entry needs one.
    external: ['node:*'],
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const inputs = Object.entries(result.metafile.outputs)[0]?.[1].inputs ?? {};
  // Bytes each package contributes to the minified output, largest first: the profile of a size.
  const byPackage = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)|packages\/([^/]+)/.exec(file);
    const name = match?.[1] ?? (match?.[2] ? `@bulk-clients/${match[2]}` : file);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const nodeImports = [
    ...new Set(
      Object.values(result.metafile.outputs).flatMap((output) =>
        output.imports.filter((entry) => entry.external).map((entry) => entry.path),
      ),
    ),
  ];
  return {
    nodeImports: nodeImports.join(' '),
    minified: code.byteLength,
    gzipped: gzipSync(code, { level: 9 }).byteLength,
    profile: [...byPackage.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([name, bytes]) => `${name} ${bytes}`)
      .join(', '),
  };
}

export async function sizeScenario(context: BenchContext): Promise<ScenarioResult> {
  const resolveDir = `${context.repoRoot}/bench`;
  const rows: Row[] = [];
  const base = await bundleSize('openapi-fetch', resolveDir);
  const limit = base.gzipped + ALLOWANCE_BYTES;
  const row = (
    name: string,
    size: Awaited<ReturnType<typeof bundleSize>>,
    withTarget: boolean,
  ): Row => ({
    variant: name,
    // Bundling is deterministic: one run is the measurement.
    metrics: { minified: summarize([size.minified]), gzipped: summarize([size.gzipped]) },
    facts: { profile: size.profile, nodeImports: size.nodeImports },
    ...(withTarget
      ? {
          target: {
            description: 'gzipped <= openapi-fetch + 8 kB',
            met: size.gzipped <= limit,
            detail: `${size.gzipped} B vs ${limit} B allowed (openapi-fetch + ${size.gzipped - base.gzipped} B)`,
          },
        }
      : {}),
  });
  rows.push(row('openapi-fetch', base, false));
  rows.push(row('@bulk-clients/core', await bundleSize('@bulk-clients/core', resolveDir), false));
  for (const vendor of VENDORS) rows.push(row(vendor, await bundleSize(vendor, resolveDir), true));
  return {
    id: 'size',
    title: '6. Bundle size (min + gzip)',
    setup: {
      bundler: 'esbuild',
      platform: 'browser',
      format: 'esm',
      minify: true,
      gzip: 'level 9',
    },
    columns: [
      { header: 'entry', cell: (r) => r.variant },
      { header: 'minified B', cell: (r) => cell(r, 'minified') },
      { header: 'min+gzip B', cell: (r) => cell(r, 'gzipped') },
      { header: 'target', cell: targetCell },
      { header: 'Node built-ins (left out)', cell: (r) => String(r.facts?.nodeImports || 'none') },
      {
        header: 'largest contributors (minified B)',
        cell: (r) =>
          String(r.facts?.profile ?? '')
            .split(', ')
            .slice(0, 3)
            .join(', '),
      },
    ],
    rows,
    notes: [
      'Each entry is `export * from "<package>"`: everything the package exports, nothing tree-shaken away.',
    ],
  };
}
