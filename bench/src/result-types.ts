/** The rows every scenario produces: printed as a markdown table and saved in latest.json. */
import type { Summary } from './stats.js';

export interface Target {
  /** The target as the issue states it. */
  description: string;
  met: boolean;
  /** Why, in numbers. */
  detail: string;
}

export interface Row {
  /** The variant measured: `ours`, `p-limit`, `100,000 lines`... */
  variant: string;
  /** Numbers measured over the runs. */
  metrics: Record<string, Summary>;
  /** Values that are not measured (sizes, settings, a computed ceiling). */
  facts?: Record<string, string | number | boolean | null>;
  target?: Target;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** What was run, exactly: sizes, settings, and anything scaled. */
  setup: Record<string, string | number | boolean>;
  /** Table columns: header and how to show a row's cell. */
  columns: { header: string; cell: (row: Row) => string }[];
  rows: Row[];
  notes: string[];
}

/** Scenario settings that `--quick` shrinks. */
export interface BenchContext {
  quick: boolean;
  runs: number;
  /** Where temporary files go (removed at the end). */
  tmpDir: string;
  /** Root of the monorepo. */
  repoRoot: string;
  log: (line: string) => void;
}
