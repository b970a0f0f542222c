/** Median and spread of one measure over the rounds of a scenario. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** (max - min) / median, as a percentage: how far apart the rounds were. */
  spreadPct: number;
  values: number[];
}

export function summarize(values: number[]): Summary {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return { median: NaN, min: NaN, max: NaN, spreadPct: NaN, values };
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  return { median, min, max, spreadPct: median === 0 ? 0 : ((max - min) / median) * 100, values };
}

export function ratio(ours: number, theirs: number): number {
  return theirs === 0 ? NaN : ours / theirs;
}

export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return '–';
  return value >= 100 ? value.toFixed(0) : value.toFixed(digits);
}
