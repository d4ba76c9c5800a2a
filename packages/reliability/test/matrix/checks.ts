/** Checks every cell of the fault matrix runs, whatever the operation. */
import type { BulkReport, ItemOutcome } from '@bulk-clients/core';
import { expect } from 'vitest';
import type { CellCounts, CellFigures, CellFindings } from './types.js';

/** The report fields the checks read, common to every vendor's report. */
export type AnyReport<T, R> = Pick<
  BulkReport<T, R>,
  'total' | 'succeeded' | 'failed' | 'unknown' | 'skipped' | 'outcomes'
>;

/** Every record counted once, in order, and the counts match the outcomes. */
export function expectAccounted<T, R>(report: AnyReport<T, R>, total: number): ItemOutcome<T, R>[] {
  expect(report.total).toBe(total);
  expect(report.succeeded + report.failed + report.unknown + report.skipped).toBe(report.total);
  const outcomes = report.outcomes ?? [];
  expect(outcomes.map((o) => o.index)).toEqual(Array.from({ length: total }, (_, i) => i));
  const count = (status: string) => outcomes.filter((o) => o.status === status).length;
  expect([count('succeeded'), count('failed'), count('unknown'), count('skipped')]).toEqual([
    report.succeeded,
    report.failed,
    report.unknown,
    report.skipped,
  ]);
  return outcomes;
}

/** Codes of failures to reach the vendor at all: undici's and Node's socket errors, timeouts. */
const NETWORK_CODE = /^(E[A-Z_]+|UND_ERR_[A-Z_]+|timeout|request_timeout|network_error)$/;

/**
 * A failure the run did not plan (retries ran out, say) still says why: a code, a message, and
 * the vendor's status or answer, or the network error's code when no answer came.
 */
export function expectReasoned<T, R>(outcome: ItemOutcome<T, R>): void {
  const error = outcome.error;
  expect(error, `record ${outcome.index} (${outcome.status}) has no error`).toBeDefined();
  expect(error?.code, `record ${outcome.index}`).toMatch(/\S/);
  expect(error?.message, `record ${outcome.index}`).toMatch(/\S/);
  if (outcome.status === 'failed') {
    const fromVendor = error?.status !== undefined || error?.vendor !== undefined;
    // No answer at all (the connection failed every time): the network error's code is the reason.
    const fromNetwork = NETWORK_CODE.test(error?.code ?? '');
    expect(
      fromVendor || fromNetwork,
      `record ${outcome.index} failed with no vendor reason: ${error?.code} ${error?.message}`,
    ).toBe(true);
  }
}

/** A cell's figures: the report's counts and what the cell found in the sandbox. */
export function figuresOf(
  report: CellCounts,
  findings: CellFindings = { rewritten: 0, failedYetWritten: 0 },
): CellFigures {
  const { total, succeeded, failed, unknown, skipped, requests, retries } = report;
  return { total, succeeded, failed, unknown, skipped, requests, retries, ...findings };
}
