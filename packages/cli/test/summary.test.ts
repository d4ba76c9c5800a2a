import { describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { ExitCode, exitCodeForError, exitCodeForReport } from '../src/exit-codes.js';
import { formatCount, formatDuration } from '../src/output/format.js';
import { formatJsonReport, formatSummary, toCliReport } from '../src/output/summary.js';

const engineReport = {
  operation: 'tickets-update',
  total: 5_000,
  succeeded: 4_990,
  failed: 7,
  unknown: 0,
  skipped: 3,
  requests: 50,
  retries: 4,
  throttled: 2,
  throttledMs: 1_200,
  durationMs: 12_345,
};

describe('toCliReport', () => {
  it('has every field of the --json contract', () => {
    const report = toCliReport('hubspot', engineReport, { invalid: 5 });
    for (const field of [
      'api',
      'operation',
      'total',
      'succeeded',
      'failed',
      'unknown',
      'skipped',
      'requests',
      'retries',
      'throttledMs',
      'durationMs',
    ]) {
      expect(report).toHaveProperty(field);
    }
    expect(report).toMatchObject({
      api: 'hubspot',
      operation: 'tickets-update',
      invalid: 5,
      dryRun: false,
    });
    expect(JSON.parse(formatJsonReport(report))).toEqual(report);
  });

  it('defaults throttled to 0 when the engine does not count it', () => {
    const { throttled: _, ...rest } = engineReport;
    expect(toCliReport('vec', rest).throttled).toBe(0);
  });
});

describe('formatSummary', () => {
  it('prints a table of the counters with aligned numbers', () => {
    expect(formatSummary(toCliReport('hubspot', engineReport, { invalid: 5 }))).toBe(
      [
        'hubspot tickets-update: done in 12.3 s',
        '  total      5,000',
        '  succeeded  4,990',
        '  failed         7 (5 invalid)',
        '  unknown        0',
        '  skipped        3',
        '  requests      50',
        '  retries        4',
        '  throttled      2 (1.2 s)',
        '',
      ].join('\n'),
    );
  });

  it('marks a dry run', () => {
    expect(formatSummary(toCliReport('mpdx', engineReport, { dryRun: true }))).toMatch(
      /^mpdx tickets-update \(dry run\)/,
    );
  });
});

describe('exit codes', () => {
  it.each([
    [{ failed: 0, unknown: 0 }, ExitCode.Success],
    [{ failed: 1, unknown: 0 }, ExitCode.SomeFailed],
    [{ failed: 0, unknown: 1 }, ExitCode.SomeFailed],
  ])('%j -> %i', (counts, code) => {
    expect(exitCodeForReport(counts)).toBe(code);
  });

  it('are the documented numbers', () => {
    expect(ExitCode).toEqual({ Success: 0, SomeFailed: 1, Usage: 2, Interrupted: 130 });
  });

  it('map errors before any write to 2 and unexpected ones to 1', () => {
    expect(exitCodeForError(new CliError('auth', 'no token'))).toBe(2);
    expect(exitCodeForError(new Error('boom'))).toBe(1);
  });
});

describe('formatting', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1_000, '1,000'],
    [1_234_567, '1,234,567'],
  ])('formatCount(%i) = %s', (value, text) => {
    expect(formatCount(value)).toBe(text);
  });

  it.each([
    [850, '850 ms'],
    [12_345, '12.3 s'],
    [245_000, '4:05'],
    [3_723_000, '1:02:03'],
    [Number.NaN, '?'],
  ])('formatDuration(%d) = %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('the budget and the daily stop in reports', () => {
  it('carries the budget in force and the daily stop into the JSON report', () => {
    const report = toCliReport('hubspot', {
      ...engineReport,
      rateLimit: { requests: 190, perMs: 10_000, source: 'learned' },
      dailyStop: true,
    });
    expect(JSON.parse(formatJsonReport(report))).toMatchObject({
      rateLimit: { requests: 190, perMs: 10_000, source: 'learned' },
      dailyStop: true,
    });
  });

  it('says null and false when no limiter applied and nothing stopped the run', () => {
    expect(toCliReport('hubspot', engineReport)).toMatchObject({
      rateLimit: null,
      dailyStop: false,
    });
  });

  it('shows where the budget came from, and the stop, in the summary', () => {
    const text = formatSummary(
      toCliReport('hubspot', {
        ...engineReport,
        rateLimit: { requests: 50, perMs: 1_000, source: 'configured' },
        dailyStop: true,
      }),
    );
    expect(text).toMatch(/rate limit\s+50 per 1\.0 s \(configured\)/);
    expect(text).toMatch(/stopped\s+at the daily request limit/);
    expect(formatSummary(toCliReport('hubspot', engineReport))).not.toMatch(/rate limit|stopped/);
  });

  it('says when the budget is shared through Redis by the whole account', () => {
    const report = toCliReport('hubspot', {
      ...engineReport,
      rateLimit: { requests: 50, perMs: 1_000, source: 'default', shared: true },
    });
    expect(report.rateLimit).toEqual({
      requests: 50,
      perMs: 1_000,
      source: 'default',
      shared: true,
    });
    expect(formatSummary(report)).toMatch(
      /rate limit\s+50 per 1\.0 s \(vendor default, shared through Redis\)/,
    );
    const local = toCliReport('hubspot', {
      ...engineReport,
      rateLimit: { requests: 50, perMs: 1_000, source: 'default' },
    });
    expect(local.rateLimit).toEqual({ requests: 50, perMs: 1_000, source: 'default' });
  });
});
