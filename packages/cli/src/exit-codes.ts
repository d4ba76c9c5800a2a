import { CliError } from './errors.js';

/** The process exit codes of `bulk-clients`, a public contract for scripts that call it. */
export const ExitCode = {
  /** Every record succeeded (or, with `--dry-run`, every record is valid). */
  Success: 0,
  /** Some records failed or ended in an unknown state; see the report and `--failed-out`. */
  SomeFailed: 1,
  /** Usage, input, configuration or authentication error before anything was written. */
  Usage: 2,
  /** Stopped by SIGINT or SIGTERM; in-flight batches settled, journal flushed. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The counters of a finished run that decide its exit code. */
export interface OutcomeCounts {
  failed: number;
  unknown: number;
}

/** Exit code of a run that went to the end: 0 when nothing failed or is unknown, else 1. */
export function exitCodeForReport(report: OutcomeCounts): ExitCode {
  return report.failed > 0 || report.unknown > 0 ? ExitCode.SomeFailed : ExitCode.Success;
}

/**
 * Exit code for an error that ended the run. A {@link CliError} is raised before anything was
 * written, so it is 2; anything else is unexpected and reported as 1 because records may have
 * been written already.
 */
export function exitCodeForError(error: unknown): ExitCode {
  return error instanceof CliError ? ExitCode.Usage : ExitCode.SomeFailed;
}
