import type {
  CreateReportScheduleInput,
  ReportFormat,
  ReportFrequency,
  ReportScheduleRowFragment,
  UpdateReportScheduleInput,
  Weekday,
} from '../../generated/graphql';

/** What the schedule form holds: text as typed. */
export interface ScheduleFormValues {
  frequency: ReportFrequency;
  weekday: Weekday;
  dayOfMonth: string;
  timeOfDay: string;
  timeZone: string;
  format: ReportFormat;
  /** Addresses as typed: one per line, or separated by commas or semicolons. */
  recipients: string;
  isActive: boolean;
}

export type ScheduleFormErrors = Partial<Record<keyof ScheduleFormValues, string>>;

/** The analytics subgraph's limits (subgraphs/analytics/schedules/schedule-input.ts). */
export const MAX_RECIPIENTS = 20;
const MAX_EMAIL_LENGTH = 254;
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** The server's address rule: a local part and a dotted domain, no spaces, no display name. */
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export const FREQUENCIES: { value: ReportFrequency; label: string }[] = [
  { value: 'DAILY', label: 'Daily' },
  { value: 'WEEKLY', label: 'Weekly' },
  { value: 'MONTHLY', label: 'Monthly' },
];

export const WEEKDAYS: { value: Weekday; label: string }[] = [
  { value: 'MONDAY', label: 'Monday' },
  { value: 'TUESDAY', label: 'Tuesday' },
  { value: 'WEDNESDAY', label: 'Wednesday' },
  { value: 'THURSDAY', label: 'Thursday' },
  { value: 'FRIDAY', label: 'Friday' },
  { value: 'SATURDAY', label: 'Saturday' },
  { value: 'SUNDAY', label: 'Sunday' },
];

export const FORMATS: { value: ReportFormat; label: string }[] = [
  { value: 'XLSX', label: 'Excel workbook (XLSX)' },
  { value: 'CSV', label: 'CSV file' },
];

/** Whether this browser's Intl knows the zone (the server checks against the IANA database too). */
export function isKnownTimeZone(zone: string): boolean {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The browser's own zone, the form's default. */
export function browserTimeZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isKnownTimeZone(zone) ? zone : 'UTC';
}

/**
 * The zones the select offers: the browser's IANA list, with UTC (which the list leaves out) and
 * any zone the schedule already has (an alias such as Asia/Calcutta is valid but not listed).
 */
export function timeZoneOptions(...keep: string[]): string[] {
  const listed = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zones = new Set(['UTC', ...listed]);
  for (const zone of keep) if (zone) zones.add(zone);
  return ['UTC', ...[...zones].filter((zone) => zone !== 'UTC').sort()];
}

/** The addresses typed, trimmed, empty entries dropped (duplicates kept: the check reports them as one). */
export function splitRecipients(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((address) => address.trim())
    .filter(Boolean);
}

/** The addresses as the server will keep them: deduplicated case-insensitively, in the order typed. */
export function uniqueRecipients(addresses: readonly string[]): string[] {
  const seen = new Set<string>();
  return addresses.filter((address) => {
    const key = address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The analytics subgraph's rules for a schedule, checked as the person types. */
export function validateSchedule(values: ScheduleFormValues): ScheduleFormErrors {
  const errors: ScheduleFormErrors = {};
  if (values.frequency === 'MONTHLY') {
    const day = values.dayOfMonth.trim();
    if (!/^\d+$/.test(day) || Number(day) < 1 || Number(day) > 28) {
      errors.dayOfMonth = 'A day from 1 to 28 (every month has it).';
    }
  }
  if (!TIME_OF_DAY.test(values.timeOfDay.trim())) errors.timeOfDay = 'A 24-hour time written HH:MM, e.g. 08:00 or 17:30.';
  const zone = values.timeZone.trim();
  if (!zone || zone.length > 64 || !isKnownTimeZone(zone)) errors.timeZone = 'Choose a time zone such as Europe/Paris.';
  const addresses = splitRecipients(values.recipients);
  const bad = addresses.find((address) => address.length > MAX_EMAIL_LENGTH || !EMAIL.test(address));
  if (bad) errors.recipients = `“${bad.slice(0, 80)}” is not an email address; write addresses like name@example.com.`;
  else if (addresses.length === 0) errors.recipients = 'Add at least one recipient.';
  else if (uniqueRecipients(addresses).length > MAX_RECIPIENTS) {
    errors.recipients = `At most ${MAX_RECIPIENTS} recipients; this list has ${uniqueRecipients(addresses).length}.`;
  }
  return errors;
}

export function emptySchedule(timeZone = browserTimeZone()): ScheduleFormValues {
  return { frequency: 'WEEKLY', weekday: 'MONDAY', dayOfMonth: '1', timeOfDay: '08:00', timeZone, format: 'XLSX', recipients: '', isActive: true };
}

export function scheduleValues(schedule: ReportScheduleRowFragment): ScheduleFormValues {
  return {
    frequency: schedule.frequency,
    weekday: schedule.weekday ?? 'MONDAY',
    dayOfMonth: String(schedule.dayOfMonth ?? 1),
    timeOfDay: schedule.timeOfDay,
    timeZone: schedule.timeZone,
    format: schedule.format,
    recipients: schedule.recipients.join('\n'),
    isActive: schedule.isActive,
  };
}

/** Every setting, each frequency with only its own day (the server refuses a switch without it). */
function settings(values: ScheduleFormValues) {
  return {
    frequency: values.frequency,
    weekday: values.frequency === 'WEEKLY' ? values.weekday : null,
    dayOfMonth: values.frequency === 'MONTHLY' ? Number(values.dayOfMonth.trim()) : null,
    timeOfDay: values.timeOfDay.trim(),
    timeZone: values.timeZone.trim(),
    format: values.format,
    recipients: uniqueRecipients(splitRecipients(values.recipients)),
    isActive: values.isActive,
  };
}

export const toCreateInput = (values: ScheduleFormValues): CreateReportScheduleInput => settings(values);
export const toUpdateInput = (values: ScheduleFormValues): UpdateReportScheduleInput => settings(values);
