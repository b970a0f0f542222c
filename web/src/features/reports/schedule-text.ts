import type { ReportScheduleRowFragment } from '../../generated/graphql';
import { FORMATS, WEEKDAYS } from './schedule-form';

/** "Weekly on Monday at 08:00", "Monthly on day 5 at 17:30". */
export function describeSchedule(schedule: Pick<ReportScheduleRowFragment, 'frequency' | 'weekday' | 'dayOfMonth' | 'timeOfDay'>): string {
  switch (schedule.frequency) {
    case 'DAILY':
      return `Daily at ${schedule.timeOfDay}`;
    case 'WEEKLY':
      return `Weekly on ${WEEKDAYS.find((day) => day.value === schedule.weekday)?.label ?? schedule.weekday} at ${schedule.timeOfDay}`;
    case 'MONTHLY':
      return `Monthly on day ${schedule.dayOfMonth} at ${schedule.timeOfDay}`;
  }
}

export const formatLabel = (format: ReportScheduleRowFragment['format']) => FORMATS.find((option) => option.value === format)?.label ?? format;

/** An instant as the schedule's zone shows it: "Mon, Dec 7, 2026, 8:00 AM". */
export function formatInZone(iso: string, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone };
  return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
}

const day = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A period of whole days, `from` and `to` (YYYY-MM-DD) both included: "Nov 30 – Dec 6, 2026", or one day. */
export function formatPeriod(period: { from: string; to: string }): string {
  const from = new Date(`${period.from}T00:00:00Z`);
  const to = new Date(`${period.to}T00:00:00Z`);
  return period.from === period.to ? day.format(from) : day.formatRange(from, to);
}
