/** Min / median / max of repeated runs. */
export interface Summary {
  min: number;
  median: number;
  max: number;
  runs: number[];
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new TypeError('Expected `values` to hold at least one run');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return {
    min: sorted[0] as number,
    median,
    max: sorted[sorted.length - 1] as number,
    runs: [...values],
  };
}

/** `median (min..max)` with `digits` decimals. */
export function formatSummary(summary: Summary, digits = 0): string {
  const f = (value: number) =>
    value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return summary.min === summary.max
    ? f(summary.median)
    : `${f(summary.median)} (${f(summary.min)}..${f(summary.max)})`;
}
