import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../../kernel/db/sql';
import type { ReportFormat } from '../report/export-service';
import type { Frequency } from './recurrence';
import type { ScheduleSettings } from './schedule-input';

/** A stored schedule. */
export interface ReportSchedule extends ScheduleSettings {
  id: string;
  eventId: string;
  /** The next instant it is due (kept while inactive, ignored until reactivated). */
  nextRunAt: Date;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const SCHEDULE_COLUMNS = `s.id, s.event_id, s.frequency, s.weekday, s.day_of_month, s.hour, s.minute, s.time_zone, s.format,
  s.recipients, s.is_active, s.next_run_at, s.created_by, s.created_at, s.updated_at`;

export function toSchedule(row: Record<string, unknown>): ReportSchedule {
  return {
    id: row.id as string,
    eventId: row.event_id as string,
    frequency: row.frequency as Frequency,
    weekday: row.weekday === null ? null : Number(row.weekday),
    dayOfMonth: row.day_of_month === null ? null : Number(row.day_of_month),
    hour: Number(row.hour),
    minute: Number(row.minute),
    timeZone: row.time_zone as string,
    format: row.format as ReportFormat,
    recipients: row.recipients as string[],
    isActive: row.is_active as boolean,
    nextRunAt: new Date(row.next_run_at as string),
    createdBy: row.created_by as string,
    createdAt: new Date(row.created_at as string),
    updatedAt: new Date(row.updated_at as string),
  };
}

export async function findSchedules(em: EntityManager, ids: readonly string[]): Promise<ReportSchedule[]> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${SCHEDULE_COLUMNS} from report_schedules s where s.id = any(?::uuid[])`,
    [pgArray(ids)],
  );
  return rows.map(toSchedule);
}

/** An event's schedules, oldest first (the order a form lists them in). */
export async function schedulesOfEvent(em: EntityManager, eventId: string): Promise<ReportSchedule[]> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${SCHEDULE_COLUMNS} from report_schedules s where s.event_id = ? order by s.created_at, s.id`,
    [eventId],
  );
  return rows.map(toSchedule);
}

export async function insertSchedule(
  em: EntityManager,
  eventId: string,
  settings: ScheduleSettings,
  nextRunAt: Date,
  createdBy: string,
): Promise<ReportSchedule> {
  const [row] = await em.execute<Record<string, unknown>[]>(
    `insert into report_schedules as s
       (id, event_id, frequency, weekday, day_of_month, hour, minute, time_zone, format, recipients, is_active, next_run_at, created_by)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?)
     returning ${SCHEDULE_COLUMNS}`,
    [randomUUID(), eventId, ...settingsParameters(settings, nextRunAt), createdBy],
  );
  return toSchedule(row);
}

/** The bind values of a schedule's settings, in the column order insert and update both use. */
function settingsParameters(settings: ScheduleSettings, nextRunAt: Date): unknown[] {
  return [
    settings.frequency,
    settings.weekday,
    settings.dayOfMonth,
    settings.hour,
    settings.minute,
    settings.timeZone,
    settings.format,
    pgArray(settings.recipients),
    settings.isActive,
    nextRunAt.toISOString(),
  ];
}

export async function updateSchedule(
  em: EntityManager,
  id: string,
  settings: ScheduleSettings,
  nextRunAt: Date,
): Promise<ReportSchedule | null> {
  const [row] = await em.execute<Record<string, unknown>[]>(
    `update report_schedules as s
        set frequency = ?, weekday = ?, day_of_month = ?, hour = ?, minute = ?, time_zone = ?, format = ?,
            recipients = ?::text[], is_active = ?, next_run_at = ?, updated_at = now()
      where s.id = ?
      returning ${SCHEDULE_COLUMNS}`,
    [...settingsParameters(settings, nextRunAt), id],
  );
  return row ? toSchedule(row) : null;
}

/** Deletes a schedule and, with it, its delivery history (messages already queued still go out). */
export async function deleteSchedule(em: EntityManager, id: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>(`delete from report_schedules where id = ? returning id`, [id]);
  return rows.length > 0;
}
