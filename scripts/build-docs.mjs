// Builds the offline documentation portal into docs/: one Redoc page per API listed in
// redocly.yaml (scripts inlined, so the pages need no network) and an index.html that lists every
// API, its operations, the packages and a CLI quick reference.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'docs');
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
const redocly = join(root, 'node_modules', '.bin', 'redocly');

/** Runs a command quietly; its output is shown only when it fails. */
function run(command, args) {
  try {
    execFileSync(command, args, { cwd: root, env, stdio: 'pipe' });
  } catch (error) {
    process.stderr.write(error.stdout ?? '');
    process.stderr.write(error.stderr ?? '');
    throw new Error(`${command} ${args.join(' ')} failed`);
  }
}

// Redoc's "API docs by" badge loads its logo from a CDN even in an inlined bundle. Swap it for an
// inline image so that opening a page makes no request at all.
const REMOTE_LOGOS = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
const INLINE_LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="14"><text x="0" y="11" font-family="sans-serif" font-size="11" fill="#666">Redoc</text></svg>',
)}`;

function inlineRemoteLogo(file) {
  const html = readFileSync(file, 'utf8');
  writeFileSync(file, html.replace(REMOTE_LOGOS, INLINE_LOGO));
}

/** A page that fetches anything from another host is not offline: fail the build instead. */
function assertOffline(file) {
  const html = readFileSync(file, 'utf8');
  const external = html.match(/<(?:script|link|img)[^>]+(?:src|href)="https?:\/\/[^"]+"/g) ?? [];
  if (new RegExp(REMOTE_LOGOS.source).test(html)) external.push('cdn.redoc.ly logo');
  if (external.length > 0) {
    throw new Error(`${file} loads remote resources: ${external.join(', ')}`);
  }
}

function escapeHtml(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operationsOf(spec) {
  const ops = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) ops.push({ method: method.toUpperCase(), path, op });
    }
  }
  return ops;
}

// Redoc's route for an operation: #/<tag slug>/<operationId in lower case>.
function anchorOf(op) {
  const tag = (op.tags?.[0] ?? '')
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `#/${tag}/${op.operationId.toLowerCase()}`;
}

const CLI = [
  ['hubspot tickets-update', '--input FILE [--id-property NAME] [--clear-empty]'],
  ['thought-industries templates-update', '--input FILE --base-url URL'],
  ['thought-industries webinar-import', '--asset-path PATH --base-url URL [--dry-run]'],
  ['vec vault-create', '--input FILE [--files-dir DIR]'],
  ['mpdx preferences-create', '--input FILE --account-list ID'],
  ['sandbox', '[--port N] [--latency-ms N] [--rate-limit N/MS] [--error-rate R]'],
];

function renderIndex(list) {
  const sections = list
    .map(({ name, spec }) => {
      const rows = operationsOf(spec)
        .map(
          ({ method, path, op }) =>
            `<tr><td><span class="m m-${method.toLowerCase()}">${method}</span></td><td><a href="${name}.html${anchorOf(op)}"><code>${escapeHtml(path)}</code></a></td><td>${escapeHtml(op.summary)}${op['x-inferred'] ? ' <span class="inferred" title="Not in the vendor documentation; inferred">inferred</span>' : ''}</td></tr>`,
        )
        .join('\n');
      return `<section id="${name}">
<h2><a href="${name}.html">${escapeHtml(spec.info.title)}</a> <small>v${escapeHtml(String(spec.info.version).replace(/^v/, ''))}</small></h2>
<p>Package <code>@bulk-clients/${name}</code> · spec <code>specs/${name}/openapi.yaml</code> · <a href="${name}.html">API reference</a></p>
<table class="ops"><thead><tr><th>Method</th><th>Path</th><th>Summary</th></tr></thead><tbody>
${rows}
</tbody></table>
</section>`;
    })
    .join('\n');
  const cli = CLI.map(
    ([cmd, args]) =>
      `<tr><td><code>bulk-clients ${cmd}</code></td><td><code>${escapeHtml(args)}</code></td></tr>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>bulk-clients documentation</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0}td,th{border-bottom:1px solid #eaeef2;padding:.35rem .5rem;text-align:left;vertical-align:top}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}a{color:#0969da;text-decoration:none}a:hover{text-decoration:underline}
.m{display:inline-block;min-width:3.6rem;text-align:center;border-radius:4px;color:#fff;font:600 12px ui-monospace,monospace;padding:1px 4px}
.m-get{background:#1a7f37}.m-post{background:#0969da}.m-put,.m-patch{background:#9a6700}.m-delete{background:#cf222e}
.inferred{font-size:11px;border:1px solid #bf8700;color:#9a6700;border-radius:3px;padding:0 3px}
nav a{margin-right:1rem}
</style></head>
<body>
<h1>bulk-clients</h1>
<p>Typed clients, a bulk engine, a sandbox and a CLI for vendors' bulk and batch endpoints. Every page here works offline.</p>
<nav>${list.map(({ name, spec }) => `<a href="#${name}">${escapeHtml(spec.info.title)}</a>`).join('')}<a href="#cli">CLI</a><a href="#packages">Packages</a></nav>
${sections}
<section id="packages"><h2>Packages</h2>
<table><tbody>
<tr><td><code>@bulk-clients/core</code></td><td>Bulk engine (<code>runBulk</code>), job polling (<code>pollUntilDone</code>), rate limiting, retries, typed <code>ApiError</code>.</td></tr>
${list.map(({ name, spec }) => `<tr><td><code>@bulk-clients/${name}</code></td><td>Typed client for ${escapeHtml(spec.info.title)}.</td></tr>`).join('\n')}
<tr><td><code>@bulk-clients/sandbox</code></td><td>Stateful simulators of all four APIs with fault injection.</td></tr>
<tr><td><code>@bulk-clients/cli</code></td><td>The <code>bulk-clients</code> command for CSV and JSONL files.</td></tr>
</tbody></table></section>
<section id="cli"><h2>CLI quick reference</h2>
<table><thead><tr><th>Command</th><th>Options</th></tr></thead><tbody>
${cli}
</tbody></table>
<p>Common options: <code>--input FILE|-</code>, <code>--format csv|jsonl</code>, <code>--base-url URL</code>, <code>--batch-size N</code>, <code>--concurrency N</code>, <code>--rate-limit N/MS</code>, <code>--dry-run</code>, <code>--journal FILE</code>, <code>--resume</code>, <code>--failed-out FILE</code>, <code>--report FILE</code>, <code>--json</code>, <code>--no-progress</code>, <code>--timeout MS</code>, <code>--max-wait MS</code>. Tokens come from <code>HUBSPOT_TOKEN</code>, <code>THOUGHT_INDUSTRIES_API_KEY</code>, <code>VEC_TOKEN</code>, <code>MPDX_TOKEN</code> or <code>--token-file FILE</code>.</p>
</section>
</body></html>
`;
}

const config = parse(readFileSync(join(root, 'redocly.yaml'), 'utf8'));
const apis = Object.entries(config.apis).map(([name, api]) => {
  const spec = parse(readFileSync(join(root, api.root), 'utf8'));
  return { name, specPath: api.root, spec };
});

mkdirSync(outDir, { recursive: true });
for (const api of apis) {
  const output = join(outDir, `${api.name}.html`);
  run(redocly, [
    'build-docs',
    api.name,
    '--inlineBundle',
    '--output',
    output,
    '--title',
    `${api.spec.info.title} — bulk-clients`,
    '--lint-config',
    'off',
    // Redoc reports page views to its vendor unless told not to; the portal must stay offline.
    '--openapi.disableTelemetry=true',
  ]);
  inlineRemoteLogo(output);
  assertOffline(output);
  console.log(`docs/${api.name}.html  ${api.spec.info.title}`);
}
writeFileSync(join(outDir, 'index.html'), renderIndex(apis));
console.log('docs/index.html');
