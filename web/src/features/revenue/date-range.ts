/** A period of whole UTC days, both ends included, as `YYYY-MM-DD`. */
export interface DateRange {
  from: string;
  to: string;
}

/** The server's longest period: 366 days counting both ends. */
export const MAX_SPAN_DAYS = 366;
const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days in the range, both ends counted. */
export function spanDays({ from, to }: DateRange): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

export function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** The last `days` days up to and including `today`. */
export function lastDays(days: number, today: string): DateRange {
  return { from: addDays(today, -(days - 1)), to: today };
}

/**
 * A new `from`: `to` follows when `from` would pass it, or when the span would exceed the
 * server's maximum, so the range is always one the server accepts.
 */
export function withFrom(range: DateRange, from: string): DateRange {
  if (!isDate(from)) return range;
  let to = range.to;
  if (from > to) to = from;
  if (spanDays({ from, to }) > MAX_SPAN_DAYS) to = addDays(from, MAX_SPAN_DAYS - 1);
  return { from, to };
}

/** A new `to`: `from` follows when `to` would come before it, or when the span would exceed the maximum. */
export function withTo(range: DateRange, to: string): DateRange {
  if (!isDate(to)) return range;
  let from = range.from;
  if (to < from) from = to;
  if (spanDays({ from, to }) > MAX_SPAN_DAYS) from = addDays(to, -(MAX_SPAN_DAYS - 1));
  return { from, to };
}

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
