import { badUserInput } from '../../../kernel/errors';
import type { ReportFormat } from '../report/export-service';
import { isKnownTimeZone, type Frequency, type Recurrence } from './recurrence';

/** Most recipients one schedule may have. */
export const MAX_RECIPIENTS = 20;
/** Longest address accepted (RFC 5321's path limit). */
const MAX_EMAIL_LENGTH = 254;

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A schedule's settings as the API takes them (every field optional on update). */
export interface ScheduleInput {
  frequency?: Frequency | null;
  weekday?: Weekday | null;
  dayOfMonth?: number | null;
  timeOfDay?: string | null;
  timeZone?: string | null;
  format?: ReportFormat | null;
  recipients?: readonly string[] | null;
  isActive?: boolean | null;
}

/** A schedule's settings once checked: what is stored. */
export interface ScheduleSettings extends Recurrence {
  format: ReportFormat;
  recipients: string[];
  isActive: boolean;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
/**
 * One address, as a mail worker can send to it: local part and a dotted domain, no spaces, no
 * display name, no second @. Deliberately narrower than RFC 5322 (no quoted local parts, no
 * comments): what the dashboard collects is an address typed by a person.
 */
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

function required<T>(value: T | null | undefined, field: string, what: string): T {
  if (value === null || value === undefined) throw badUserInput(field, `\`${field}\` is required: ${what}.`);
  return value;
}

export function parseTimeOfDay(value: string): { hour: number; minute: number } {
  const match = TIME_OF_DAY.exec(value);
  if (!match) {
    throw badUserInput('input.timeOfDay', `\`input.timeOfDay\` must be a 24-hour time written HH:MM, e.g. 08:00 or 17:30; got ${JSON.stringify(value)}.`);
  }
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export const formatTimeOfDay = (hour: number, minute: number) =>
  `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

/** Trimmed, checked and deduplicated (case-insensitively) recipients, in the order given. */
export function parseRecipients(values: readonly string[]): string[] {
  const field = 'input.recipients';
  const seen = new Set<string>();
  const recipients: string[] = [];
  values.forEach((raw, index) => {
    const address = raw.trim();
    if (address.length > MAX_EMAIL_LENGTH || !EMAIL.test(address)) {
      throw badUserInput(
        field,
        `Recipient ${index + 1} (${JSON.stringify(raw.slice(0, 80))}) is not an email address; write one address per entry, like name@example.com.`,
      );
    }
    if (seen.has(address.toLowerCase())) return;
    seen.add(address.toLowerCase());
    recipients.push(address);
  });
  if (recipients.length === 0) throw badUserInput(field, 'A schedule needs at least one recipient.');
  if (recipients.length > MAX_RECIPIENTS) {
    throw badUserInput(field, `A schedule may have at most ${MAX_RECIPIENTS} recipients; got ${recipients.length}.`);
  }
  return recipients;
}

/**
 * Checks a whole schedule: `input` laid over `current` (nothing on create). Each frequency keeps
 * only its own day: a weekday for WEEKLY, a day of the month (1 to 28, which every month has) for
 * MONTHLY; switching frequency without giving the new day is refused, naming it.
 */
export function resolveSettings(input: ScheduleInput, current?: ScheduleSettings): ScheduleSettings {
  const frequency = required(input.frequency ?? current?.frequency, 'input.frequency', 'DAILY, WEEKLY or MONTHLY');
  const sameFrequency = current?.frequency === frequency;

  let weekday: number | null = null;
  if (frequency === 'WEEKLY') {
    const given = input.weekday ? WEEKDAYS.indexOf(input.weekday) + 1 : null;
    weekday = required(given ?? (sameFrequency ? current!.weekday : null), 'input.weekday', 'the day of the week a WEEKLY report is sent');
  }
  let dayOfMonth: number | null = null;
  if (frequency === 'MONTHLY') {
    dayOfMonth = required(
      input.dayOfMonth ?? (sameFrequency ? current!.dayOfMonth : null),
      'input.dayOfMonth',
      'the day of the month (1 to 28) a MONTHLY report is sent',
    );
    if (!Number.isInteger(dayOfMonth) || dayOfMonth < 1 || dayOfMonth > 28) {
      throw badUserInput('input.dayOfMonth', `\`input.dayOfMonth\` must be a day from 1 to 28, which every month has; got ${dayOfMonth}.`);
    }
  }

  const time = input.timeOfDay != null
    ? parseTimeOfDay(input.timeOfDay)
    : current
      ? { hour: current.hour, minute: current.minute }
      : parseTimeOfDay(required<string>(input.timeOfDay, 'input.timeOfDay', 'the local time the report is sent, HH:MM'));

  const timeZone = required<string>(input.timeZone ?? current?.timeZone, 'input.timeZone', 'an IANA time zone such as Europe/Paris').trim();
  if (timeZone.length > 64 || !isKnownTimeZone(timeZone)) {
    throw badUserInput('input.timeZone', `\`input.timeZone\` must be an IANA time zone such as Europe/Paris or America/New_York; got ${JSON.stringify(timeZone.slice(0, 80))}.`);
  }

  const format = required(input.format ?? current?.format, 'input.format', 'CSV or XLSX');
  const recipients = input.recipients != null
    ? parseRecipients(input.recipients)
    : current
      ? current.recipients
      : parseRecipients(required<readonly string[]>(input.recipients, 'input.recipients', `1 to ${MAX_RECIPIENTS} email addresses`));

  return {
    frequency,
    weekday,
    dayOfMonth,
    ...time,
    timeZone,
    format,
    recipients,
    isActive: input.isActive ?? current?.isActive ?? true,
  };
}

/** Whether a change moves when the schedule runs (its next run is then computed again from now). */
export function changesTiming(before: Recurrence, after: Recurrence): boolean {
  return (
    before.frequency !== after.frequency ||
    before.weekday !== after.weekday ||
    before.dayOfMonth !== after.dayOfMonth ||
    before.hour !== after.hour ||
    before.minute !== after.minute ||
    before.timeZone !== after.timeZone
  );
}
