import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo.js';

describe('runDemo', () => {
  it('runs all five operations through the command line and writes reports and failed records', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'bulk-clients-demo-'));
    const lines: string[] = [];
    const steps = await runDemo({ outDir, log: (line) => lines.push(line), tickets: 1000 });

    const byCommand = new Map(
      steps.map((step) => [
        `${step.report?.api} ${step.report?.operation} ${step.report?.dryRun}`,
        step,
      ]),
    );
    expect([...byCommand.keys()]).toEqual([
      'hubspot tickets-update false',
      'thought-industries templates-update false',
      'thought-industries webinar-import true',
      'thought-industries webinar-import false',
      'vec vault-create false',
      'mpdx preferences-create false',
    ]);
    for (const step of steps) {
      const report = step.report!;
      expect(report.succeeded + report.failed + report.unknown + report.skipped).toBe(report.total);
      expect(step.exitCode).toBe(report.failed + report.unknown > 0 ? 1 : 0);
      expect((await stat(step.files.report)).mode & 0o777).toBe(0o600);
      const failed = (await readFile(step.files.failedOut, 'utf8')).split('\n').filter(Boolean);
      expect(failed).toHaveLength(report.failed + report.unknown);
    }
    const hubspot = byCommand.get('hubspot tickets-update false')!.report!;
    expect(hubspot).toMatchObject({ succeeded: 1000, unknown: 0 });
    expect(hubspot.invalid).toBeGreaterThan(0);
    expect(hubspot.failed).toBeGreaterThan(hubspot.invalid);
    // Told 1000 per second, it follows the 8 per second HubSpot's headers state.
    expect(hubspot.rateLimit).toEqual({ requests: 8, perMs: 1000, source: 'learned' });
    // Only requests sent before the first answer could meet the wall.
    expect(hubspot.throttled).toBeLessThanOrEqual(4);
    expect(byCommand.get('thought-industries webinar-import false')!.exitCode).toBe(0);
    expect(lines.join('\n')).toMatch(/operation +total +succeeded/);
  }, 60_000);
});
