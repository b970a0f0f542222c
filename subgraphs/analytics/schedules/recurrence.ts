import { DateTime, IANAZone } from 'luxon';

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY';

/** When a report is due: a local time of day in an IANA zone, every day, one weekday, or one day of the month. */
export interface Recurrence {
  frequency: Frequency;
  /** ISO weekday, 1 = Monday … 7 = Sunday; WEEKLY only. */
  weekday: number | null;
  /** 1..28, so that every month has it; MONTHLY only. */
  dayOfMonth: number | null;
  hour: number;
  minute: number;
  /** An IANA zone such as Europe/Paris. */
  timeZone: string;
}

/**
 * What one run reports on: whole local days of the schedule's zone, from the previous run's date up
 * to the day before this run's date. `start`/`end` are the instants of those local midnights, so a
 * day that has 23 or 25 hours (DST) is counted whole, no more.
 */
export interface ReportPeriod {
  /** First local day, YYYY-MM-DD. */
  from: string;
  /** Last local day, included. */
  to: string;
  start: Date;
  /** First instant no longer counted. */
  end: Date;
  days: number;
}

/** True for a zone the IANA database knows (what luxon, and so the schedule, can compute with). */
export function isKnownTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

const localDay = (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone }).startOf('day');

/** The first local date on or after `date` on which the schedule runs. */
function firstRunDateFrom(date: DateTime, rule: Recurrence): DateTime {
  switch (rule.frequency) {
    case 'DAILY':
      return date;
    case 'WEEKLY':
      return date.plus({ days: (rule.weekday! - date.weekday + 7) % 7 });
    case 'MONTHLY':
      return date.day <= rule.dayOfMonth! ? date.set({ day: rule.dayOfMonth! }) : date.plus({ months: 1 }).set({ day: rule.dayOfMonth! });
  }
}

const STEP: Record<Frequency, { days?: number; months?: number }> = {
  DAILY: { days: 1 },
  WEEKLY: { days: 7 },
  MONTHLY: { months: 1 },
};

/**
 * The instant of the run on a local date. A wall time that does not exist that day (clocks go
 * forward) runs as much later as the clocks jumped (02:30 → 03:30); one that happens twice (clocks go
 * back) runs at the first, so a run is never skipped nor repeated. Luxon picks the later of two, hence
 * the look back.
 */
export function runAtOn(date: DateTime, rule: Pick<Recurrence, 'hour' | 'minute' | 'timeZone'>): DateTime {
  const wall = { year: date.year, month: date.month, day: date.day, hour: rule.hour, minute: rule.minute };
  const resolved = DateTime.fromObject(wall, { zone: rule.timeZone });
  for (const minutes of [60, 30]) {
    const earlier = resolved.minus({ minutes });
    if (earlier.day === wall.day && earlier.hour === wall.hour && earlier.minute === wall.minute) return earlier;
  }
  return resolved;
}

/** The first run strictly after `instant`. */
export function nextRunAfter(rule: Recurrence, instant: Date): Date {
  let date = firstRunDateFrom(localDay(instant, rule.timeZone), rule);
  for (;;) {
    const at = runAtOn(date, rule);
    if (at.toMillis() > instant.getTime()) return at.toJSDate();
    date = date.plus(STEP[rule.frequency]);
  }
}

/** The latest run at or before `instant` (the one whose period ended last). */
export function latestRunAtOrBefore(rule: Recurrence, instant: Date): Date {
  const next = nextRunAfter(rule, instant);
  const previousDate = runDateOf(rule, next).minus(STEP[rule.frequency]);
  return runAtOn(previousDate, rule).toJSDate();
}

/** The local date of a run (a run shifted by a DST gap stays on its date). */
function runDateOf(rule: Recurrence, runAt: Date): DateTime {
  return localDay(runAt, rule.timeZone);
}

/** The period a run at `runAt` reports on: the local days since the previous run's date. */
export function periodOf(rule: Recurrence, runAt: Date): ReportPeriod {
  const endDay = runDateOf(rule, runAt);
  const startDay = endDay.minus(STEP[rule.frequency]);
  return {
    from: startDay.toISODate()!,
    to: endDay.minus({ days: 1 }).toISODate()!,
    start: startDay.toJSDate(),
    end: endDay.toJSDate(),
    days: Math.round(endDay.diff(startDay, 'days').days),
  };
}
