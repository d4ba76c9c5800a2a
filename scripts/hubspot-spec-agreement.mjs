// Measures how far specs/hubspot/openapi.yaml agrees with HubSpot's own published OpenAPI files
// on the batch endpoints, property by property, so a drift from the vendor shows as a number and
// a list rather than as a surprise in production.
//
// Usage: node scripts/hubspot-spec-agreement.mjs [--ours <yaml>] [--specs <dir> | --git-dir <dir>]
//        [--min <percent>]
// HubSpot's files are read from <dir>/<path in their repository> (default: ../hubspot-specs
// beside the repository), or from HEAD of a git mirror of HubSpot-public-api-spec-collection.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** HubSpot's files, by the name the comparisons use, as paths inside their repository. */
export const VENDOR_FILES = {
  'objects-v3': 'PublicApiSpecs/CRM/Objects/Rollouts/424/v3/objects.json',
  'objects-2026-03': 'PublicApiSpecs/CRM/Objects/Rollouts/424/2026-03/objects.json',
  'tickets-v3': 'PublicApiSpecs/CRM/Tickets/Rollouts/424/v3/tickets.json',
};

const BATCH_OPERATIONS = ['create', 'read', 'update', 'upsert', 'archive'];

/** The operations compared: the same path in our spec and in one of HubSpot's files. */
export const OPERATIONS = [
  ...['v3', '2026-03'].flatMap((version) =>
    BATCH_OPERATIONS.map((operation) => ({
      name: `${version} ${operation}`,
      file: `objects-${version}`,
      path:
        version === 'v3'
          ? `/crm/v3/objects/{objectType}/batch/${operation}`
          : `/crm/objects/${version}/{objectType}/batch/${operation}`,
    })),
  ),
  { name: 'tickets update', file: 'tickets-v3', path: '/crm/v3/objects/tickets/batch/update' },
];

/** Follows local `$ref`s (`#/components/...`) to the object they name. */
function deref(document, node, depth = 0) {
  if (!node || typeof node !== 'object' || typeof node.$ref !== 'string') return node;
  if (depth > 32) throw new Error(`$ref loop at ${node.$ref}`);
  const target = node.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((value, key) => value?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  return deref(document, target, depth + 1);
}

/** A schema with `$ref`s followed and `allOf` merged: properties and `required` joined. */
function flatten(document, schema) {
  const resolved = deref(document, schema) ?? {};
  if (!Array.isArray(resolved.allOf)) return resolved;
  const merged = { ...resolved, allOf: undefined, properties: { ...resolved.properties } };
  const required = new Set(resolved.required ?? []);
  for (const part of resolved.allOf.map((p) => flatten(document, p))) {
    Object.assign(merged.properties, part.properties);
    for (const name of part.required ?? []) required.add(name);
    merged.type ??= part.type;
  }
  merged.required = [...required];
  return merged;
}

function typeOf(schema) {
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  const list = [type ?? 'any'].flat();
  if (schema.nullable === true) list.push('null');
  return [...new Set(list)].sort().join('|');
}

/**
 * Every property of a body schema by its path (`inputs[].id`), with its type, whether its parent
 * requires it, and its enum. Walks `properties` and array `items`; a map (`additionalProperties`)
 * is one property, not descended, since its keys are data rather than names.
 */
export function propertyPaths(document, schema, prefix = '', seen = new Set()) {
  const out = new Map();
  const node = flatten(document, schema);
  if (seen.has(node)) return out;
  const inner = new Set(seen).add(node);
  if (node.type === 'array' || node.items) {
    const items = propertyPaths(document, node.items, `${prefix}[]`, inner);
    for (const [key, value] of items) out.set(key, value);
    return out;
  }
  const required = new Set(node.required ?? []);
  for (const [name, raw] of Object.entries(node.properties ?? {})) {
    const child = flatten(document, raw);
    const path = prefix ? `${prefix}.${name}` : name;
    out.set(path, {
      type: typeOf(child),
      required: required.has(name),
      enum: Array.isArray(child.enum) ? [...child.enum].map(String).sort() : undefined,
    });
    for (const [key, value] of propertyPaths(document, child, path, inner)) out.set(key, value);
  }
  return out;
}

function jsonSchemaOf(document, holder) {
  const content = deref(document, holder)?.content ?? {};
  const media = content['application/json'] ?? content['*/*'] ?? Object.values(content)[0];
  return media?.schema;
}

/**
 * The bodies of one operation, by name: `request`, then one per success status (`200`, `207`)
 * that has a JSON body. Statuses without a body (204) have no properties to compare.
 */
export function operationBodies(document, path, method = 'post') {
  const operation = deref(document, deref(document, document.paths?.[path])?.[method]);
  const bodies = new Map();
  if (!operation) return bodies;
  const request = jsonSchemaOf(document, operation.requestBody);
  if (request) bodies.set('request', propertyPaths(document, request));
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (!/^2\d\d$/.test(status)) continue;
    const schema = jsonSchemaOf(document, response);
    if (schema) bodies.set(status, propertyPaths(document, schema));
  }
  return bodies;
}

function describe(property) {
  const parts = [property.type, property.required ? 'required' : 'optional'];
  if (property.enum) parts.push(`enum ${property.enum.join(',')}`);
  return parts.join(', ');
}

/**
 * Compares two operations' bodies property by property. A property agrees when its path is in
 * both with the same type, required-ness and enum; every other path of either side disagrees.
 */
export function compareBodies(ours, theirs) {
  let agree = 0;
  const disagreements = [];
  for (const body of new Set([...theirs.keys(), ...ours.keys()])) {
    const a = ours.get(body) ?? new Map();
    const b = theirs.get(body) ?? new Map();
    for (const path of new Set([...b.keys(), ...a.keys()])) {
      const mine = a.get(path);
      const vendor = b.get(path);
      const where = `${body} ${path}`;
      if (!mine) disagreements.push({ where, reason: `missing from ours (${describe(vendor)})` });
      else if (!vendor) {
        disagreements.push({ where, reason: `missing from HubSpot's (${describe(mine)})` });
      } else if (describe(mine) !== describe(vendor)) {
        disagreements.push({
          where,
          reason: `ours ${describe(mine)}; HubSpot's ${describe(vendor)}`,
        });
      } else agree += 1;
    }
  }
  return { agree, total: agree + disagreements.length, disagreements };
}

function percent(agree, total) {
  return total === 0 ? '100.0' : ((100 * agree) / total).toFixed(1);
}

/** Compares every operation of {@link OPERATIONS}; `vendor` holds HubSpot's parsed files by name. */
export function measureAgreement(ours, vendor, operations = OPERATIONS) {
  const rows = operations.map((operation) => {
    const mine = operationBodies(ours, operation.path);
    const theirs = operationBodies(vendor[operation.file], operation.path);
    return { ...operation, missing: mine.size === 0, ...compareBodies(mine, theirs) };
  });
  const agree = rows.reduce((sum, row) => sum + row.agree, 0);
  const total = rows.reduce((sum, row) => sum + row.total, 0);
  return { rows, agree, total, percent: Number(percent(agree, total)) };
}

/** The report printed by the command. */
export function formatReport({ rows, agree, total }) {
  const lines = rows.map(
    (row) =>
      `${row.name.padEnd(16)} ${String(row.agree).padStart(3)}/${String(row.total).padEnd(3)} ${percent(row.agree, row.total).padStart(5)}%  ${row.path}`,
  );
  lines.push(
    `${'overall'.padEnd(16)} ${String(agree).padStart(3)}/${String(total).padEnd(3)} ${percent(agree, total).padStart(5)}%`,
  );
  for (const row of rows.filter((r) => r.disagreements.length > 0)) {
    if (row.missing) {
      lines.push('', `${row.name}: not in our spec (${row.total} properties in HubSpot's)`);
      continue;
    }
    lines.push('', `${row.name}: ${row.disagreements.length} disagreement(s)`);
    for (const d of row.disagreements) lines.push(`  ${d.where}: ${d.reason}`);
  }
  return lines.join('\n');
}

function readVendorFile(relativePath, { specs, gitDir }) {
  if (gitDir) {
    return execFileSync('git', ['--git-dir', gitDir, 'show', `HEAD:${relativePath}`], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  return readFileSync(join(specs, relativePath), 'utf8');
}

function main(argv) {
  const options = { ours: join(ROOT, 'specs/hubspot/openapi.yaml'), specs: undefined };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!['--ours', '--specs', '--git-dir', '--min'].includes(flag) || value === undefined) {
      console.error(
        'Usage: node scripts/hubspot-spec-agreement.mjs [--ours <yaml>] [--specs <dir> | --git-dir <dir>] [--min <percent>]',
      );
      return 2;
    }
    options[flag.slice(2).replace(/-(\w)/g, (_, c) => c.toUpperCase())] = value;
  }
  options.specs ??= join(ROOT, '..', 'hubspot-specs');
  if (!options.gitDir && !existsSync(options.specs)) {
    console.error(
      `HubSpot's spec files are not at ${options.specs}; pass --specs <dir> or --git-dir <mirror of HubSpot-public-api-spec-collection>`,
    );
    return 2;
  }
  const vendor = Object.fromEntries(
    Object.entries(VENDOR_FILES).map(([name, path]) => [
      name,
      JSON.parse(readVendorFile(path, options)),
    ]),
  );
  const result = measureAgreement(parse(readFileSync(options.ours, 'utf8')), vendor);
  console.log(formatReport(result));
  if (options.min !== undefined && result.percent < Number(options.min)) {
    console.error(`\nAgreement ${result.percent}% is below --min ${options.min}%`);
    return 1;
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  process.exitCode = main(process.argv.slice(2));
