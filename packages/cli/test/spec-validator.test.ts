import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  compileSpecValidator,
  createSpecCompiler,
  createSpecValidator,
  findSpecPath,
  loadSpec,
} from '../src/validate/spec-validator.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/specs/', import.meta.url));
const MONOREPO_SPECS = fileURLToPath(new URL('../../../specs/', import.meta.url));
/** The copies the build puts into the package, each with its JSON. */
const PACKAGE_SPECS = fileURLToPath(new URL('../specs/', import.meta.url));
const VENDORS = ['hubspot', 'thought-industries', 'vec', 'mpdx'];
const WIDGET = '#/components/schemas/WidgetInput';
const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

const validate = await createSpecValidator('acme', WIDGET, { specsDir: FIXTURES });

describe('a validator compiled from the fixture spec', () => {
  it('accepts a valid record', () => {
    expect(
      validate({ id: ID, owner: { email: 'ada@example.com' }, size: 3, issued: null }),
    ).toEqual([]);
  });

  it.each([
    [
      'a missing required field',
      { owner: { email: 'a@example.com' } },
      [{ field: 'id', message: 'is required' }],
    ],
    [
      'a missing nested field (through $ref)',
      { id: ID, owner: {} },
      [{ field: 'owner.email', message: 'is required' }],
    ],
    [
      'a wrong type',
      { id: ID, owner: { email: 'a@example.com' }, size: '3' },
      [{ field: 'size', message: 'must be integer' }],
    ],
    [
      'a bad format',
      { id: 'nope', owner: { email: 'not-an-email' } },
      [
        { field: 'id', message: 'must match format "uuid"' },
        { field: 'owner.email', message: 'must match format "email"' },
      ],
    ],
    [
      'a bad date',
      { id: ID, owner: { email: 'a@example.com' }, issued: '2024-13-45' },
      [{ field: 'issued', message: 'must match format "date"' }],
    ],
    [
      'an enum miss',
      { id: ID, owner: { email: 'a@example.com' }, color: 'blue' },
      [{ field: 'color', message: 'must be one of "red", "green"' }],
    ],
    [
      'an unknown field',
      { id: ID, owner: { email: 'a@example.com' }, colour: 'red' },
      [{ field: 'colour', message: 'is not an allowed field' }],
    ],
    [
      'an array item (dotted index)',
      { id: ID, owner: { email: 'a@example.com' }, tags: ['a', 1] },
      [{ field: 'tags.1', message: 'must be string' }],
    ],
    [
      'a key with a slash',
      { id: ID, owner: { email: 'a@example.com' }, 'a/b': 1 },
      [{ field: 'a/b', message: 'must be string' }],
    ],
    ['a value that is not an object', 'x', [{ field: '(record)', message: 'must be object' }]],
  ])('reports %s with the field path', (_, value, errors) => {
    expect(validate(value)).toEqual(errors);
  });

  it('validates a null-prototype record with a __proto__ key as data', () => {
    const record = Object.create(null) as Record<string, unknown>;
    Object.assign(record, { id: ID, owner: { email: 'a@example.com' } });
    Object.defineProperty(record, '__proto__', { value: 'x', enumerable: true });
    expect(validate(record)).toEqual([{ field: '__proto__', message: 'is not an allowed field' }]);
  });

  it('caps the number of errors', async () => {
    const capped = compileSpecValidator(
      await loadSpec(findSpecPath('acme', { specsDir: FIXTURES })),
      WIDGET,
      {
        maxErrors: 1,
      },
    );
    expect(capped({ id: 'x', owner: { email: 'y' }, size: 0 })).toHaveLength(1);
  });
});

describe('finding and compiling specs', () => {
  it('finds the spec in the given directory', () => {
    expect(findSpecPath('acme', { specsDir: FIXTURES })).toBe(`${FIXTURES}acme/openapi.yaml`);
  });

  it('names the directories it looked in when a spec is missing', () => {
    expect(() => findSpecPath('nope', { specsDir: FIXTURES })).toThrow(
      /Cannot find the nope spec; looked in/,
    );
  });

  it.each([
    ['a vendor with a path in it', () => findSpecPath('../etc')],
    [
      'a pointer that is not a JSON pointer',
      () => compileSpecValidator({}, 'components/schemas/X'),
    ],
    [
      'a pointer to nothing',
      () => compileSpecValidator({ components: {} }, '#/components/schemas/X'),
    ],
    ['a spec that is not an object', () => compileSpecValidator(null, '#/x')],
  ])('throws a TypeError for %s', (_, call) => {
    expect(call).toThrow(TypeError);
  });
});

describe('reading a spec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-json-'));
  const yamlPath = join(dir, 'acme', 'openapi.yaml');
  const jsonPath = join(dir, 'acme', 'openapi.json');
  mkdirSync(join(dir, 'acme'));

  it('reads the JSON copy beside a YAML spec when it is not older, and the YAML otherwise', async () => {
    try {
      writeFileSync(yamlPath, 'info:\n  title: from the YAML\n');
      expect(await loadSpec(yamlPath)).toEqual({ info: { title: 'from the YAML' } });
      writeFileSync(jsonPath, JSON.stringify({ info: { title: 'from the JSON' } }));
      const now = new Date();
      utimesSync(yamlPath, now, now);
      utimesSync(jsonPath, now, now);
      expect(await loadSpec(yamlPath)).toEqual({ info: { title: 'from the JSON' } });
      // The YAML was edited after the copy was made: the copy is stale and is not read.
      const later = new Date(now.getTime() + 5000);
      utimesSync(yamlPath, later, later);
      expect(await loadSpec(yamlPath)).toEqual({ info: { title: 'from the YAML' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has, in the built package, a JSON copy of each vendor spec equal to its YAML', async () => {
    if (!existsSync(PACKAGE_SPECS)) {
      throw new Error(`${PACKAGE_SPECS} is missing: build the package first (npm run build)`);
    }
    for (const vendor of VENDORS) {
      const yaml = join(PACKAGE_SPECS, vendor, 'openapi.yaml');
      const copy = JSON.parse(readFileSync(join(PACKAGE_SPECS, vendor, 'openapi.json'), 'utf8'));
      expect(copy, vendor).toEqual(parseYaml(readFileSync(yaml, 'utf8')));
      expect(await loadSpec(findSpecPath(vendor, { specsDir: PACKAGE_SPECS })), vendor).toEqual(
        copy,
      );
    }
  });
});

// The vendor specs are the source of truth: the request schemas the commands validate against
// must exist in them and compile.
const REAL_SCHEMAS: [string, string, unknown, string][] = [
  [
    'hubspot',
    '#/components/schemas/SimplePublicObjectBatchInput',
    { id: '1', properties: { subject: 'x' } },
    'id',
  ],
  [
    'thought-industries',
    '#/components/schemas/UpdateCertificateTemplateInput',
    { id: ID, title: 'Safety' },
    'id',
  ],
  [
    'vec',
    '#/components/schemas/CertificateEntry',
    {
      certificate_title: 'Safety',
      full_name: 'Ada Lovelace',
      applicant_email: 'ada@example.com',
      file_id: ID,
      issue_date: '2026-01-31',
    },
    'certificate_title',
  ],
  [
    'mpdx',
    '#/components/schemas/NotificationPreferenceBulkItem',
    {
      data: {
        type: 'notification_preferences',
        id: ID,
        attributes: { app: true, email: false, task: true },
        relationships: { notification_type: { data: { type: 'notification_types', id: ID } } },
      },
    },
    'data',
  ],
];

describe.skipIf(!existsSync(MONOREPO_SPECS))('the vendor specs', () => {
  it.each(VENDORS)('%s: every component schema compiles', async (vendor) => {
    const spec = (await loadSpec(findSpecPath(vendor, { specsDir: MONOREPO_SPECS }))) as {
      components?: { schemas?: Record<string, unknown> };
    };
    const names = Object.keys(spec.components?.schemas ?? {});
    expect(names.length).toBeGreaterThan(0);
    const compile = createSpecCompiler(spec);
    for (const name of names) {
      expect(() => compile(`#/components/schemas/${name}`)).not.toThrow();
    }
  });

  it.each(REAL_SCHEMAS)(
    '%s: %s accepts a valid record and names the missing field of an invalid one',
    async (vendor, pointer, valid, required) => {
      const check = await createSpecValidator(vendor, pointer, { specsDir: MONOREPO_SPECS });
      expect(check(valid)).toEqual([]);
      expect(check({})).toContainEqual({ field: required, message: 'is required' });
    },
  );
});
