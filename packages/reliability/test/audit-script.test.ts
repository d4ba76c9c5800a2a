/**
 * `scripts/audit.mjs`, which `.ci/run` runs: it must fail on a high or critical advisory, pass on
 * lower ones, and tell "the audit could not run" apart from "nothing found".
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../../scripts/audit.mjs', import.meta.url));

const report = (severity: string) => ({
  auditReportVersion: 2,
  vulnerabilities: {
    yaml: {
      name: 'yaml',
      severity,
      isDirect: true,
      via: [{ title: 'Example flaw', url: 'https://github.com/advisories/GHSA-0000-0000-0000' }],
      range: '<2.9.2',
    },
  },
  metadata: {
    vulnerabilities: {
      info: 0,
      low: severity === 'low' ? 1 : 0,
      moderate: severity === 'moderate' ? 1 : 0,
      high: severity === 'high' ? 1 : 0,
      critical: severity === 'critical' ? 1 : 0,
      total: 1,
    },
  },
});
const clean = {
  auditReportVersion: 2,
  vulnerabilities: {},
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 } },
};
const unavailable = {
  message:
    '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
  statusCode: 405,
  error: { summary: '', detail: '' },
};

async function audit(answer: unknown, ...flags: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'bulk-clients-audit-'));
  const file = join(dir, 'audit.json');
  await writeFile(file, JSON.stringify(answer));
  const run = spawnSync(process.execPath, [script, '--from', file, ...flags], { encoding: 'utf8' });
  return { code: run.status, out: run.stdout };
}

describe('scripts/audit.mjs', () => {
  it.each(['high', 'critical'])('fails on a %s advisory and names it', async (severity) => {
    const { code, out } = await audit(report(severity));
    expect(code).toBe(1);
    expect(out).toContain(`${severity}: yaml@<2.9.2: Example flaw`);
  });

  it.each(['low', 'moderate'])('passes with a %s advisory, counting it', async (severity) => {
    const { code, out } = await audit(report(severity));
    expect(code).toBe(0);
    expect(out).toContain(`1 ${severity}`);
  });

  it('passes a clean audit', async () => {
    expect((await audit(clean)).code).toBe(0);
  });

  it('says when the registry cannot answer, and fails then only with --strict', async () => {
    const lenient = await audit(unavailable);
    expect(lenient.code).toBe(0);
    expect(lenient.out).toContain('npm audit could not run: 405 Method Not Allowed');
    expect(lenient.out).toContain('No result');
    expect((await audit(unavailable, '--strict')).code).toBe(1);
  });
});
