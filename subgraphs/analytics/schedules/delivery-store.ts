import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../../../kernel/ids';
import type { ReportFormat } from '../report/export-service';
import type { ReportPeriod } from './recurrence';

export type DeliveryTrigger = 'SCHEDULED' | 'MANUAL';
/**
 * PENDING: waiting to be built; QUEUED: built and in the outbox; SENT: published on the reports
 * topic for the email worker; FAILED: could not be built (the reason says why), retryable.
 */
export type DeliveryStatus = 'PENDING' | 'QUEUED' | 'SENT' | 'FAILED';

export interface ReportDelivery {
  id: string;
  scheduleId: string;
  eventId: string;
  trigger: DeliveryTrigger;
  /** The run this delivery is for (a manual one: when it was asked for). */
  scheduledFor: Date;
  period: ReportPeriod & { timeZone: string };
  status: DeliveryStatus;
  attempts: number;
  failureReason: string | null;
  format: ReportFormat | null;
  recipients: string[] | null;
  filename: string | null;
  contentType: string | null;
  byteLength: number | null;
  /** The ReportReady envelope id. */
  messageId: string | null;
  createdAt: Date;
  queuedAt: Date | null;
  /** When the relay published the message; null before (or when the outbox row was cleaned up). */
  sentAt: Date | null;
}

const DELIVERY_COLUMNS = `d.id, d.schedule_id, d.event_id, d.trigger, d.scheduled_for,
  to_char(d.period_from, 'YYYY-MM-DD') as period_from, to_char(d.period_to, 'YYYY-MM-DD') as period_to,
  d.period_start, d.period_end, s.time_zone, d.status, d.attempts, d.failure_reason, d.format, d.recipients,
  d.filename, d.content_type, d.byte_length, d.message_id, d.created_at, d.queued_at,
  o.sent_at, (d.outbox_message_id is not null and o.id is null) as outbox_cleaned`;

const FROM_DELIVERIES = `from report_deliveries d
  join report_schedules s on s.id = d.schedule_id
  left join outbox_messages o on o.id = d.outbox_message_id`;

const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));

function toDelivery(row: Record<string, unknown>): ReportDelivery {
  const start = new Date(row.period_start as string);
  const end = new Date(row.period_end as string);
  const from = row.period_from as string;
  const to = row.period_to as string;
  const stored = row.status as 'PENDING' | 'QUEUED' | 'FAILED';
  const published = stored === 'QUEUED' && (row.sent_at !== null || row.outbox_cleaned === true);
  return {
    id: row.id as string,
    scheduleId: row.schedule_id as string,
    eventId: row.event_id as string,
    trigger: row.trigger as DeliveryTrigger,
    scheduledFor: new Date(row.scheduled_for as string),
    period: {
      from,
      to,
      start,
      end,
      days: Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1,
      timeZone: row.time_zone as string,
    },
    status: published ? 'SENT' : stored,
    attempts: Number(row.attempts),
    failureReason: (row.failure_reason as string | null) ?? null,
    format: (row.format as ReportFormat | null) ?? null,
    recipients: (row.recipients as string[] | null) ?? null,
    filename: (row.filename as string | null) ?? null,
    contentType: (row.content_type as string | null) ?? null,
    byteLength: row.byte_length === null ? null : Number(row.byte_length),
    messageId: (row.message_id as string | null) ?? null,
    createdAt: new Date(row.created_at as string),
    queuedAt: date(row.queued_at),
    sentAt: date(row.sent_at),
  };
}

/** Most deliveries one history page returns. */
export const MAX_HISTORY = 100;

/** A schedule's deliveries, the latest period first. */
export async function deliveriesOfSchedule(em: EntityManager, scheduleId: string, first: number): Promise<ReportDelivery[]> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${DELIVERY_COLUMNS} ${FROM_DELIVERIES} where d.schedule_id = ? order by d.period_end desc, d.created_at desc limit ?`,
    [scheduleId, first],
  );
  return rows.map(toDelivery);
}

export async function findDelivery(em: EntityManager, id: string): Promise<ReportDelivery | null> {
  if (!isUuid(id)) return null;
  const rows = await em.execute<Record<string, unknown>[]>(`select ${DELIVERY_COLUMNS} ${FROM_DELIVERIES} where d.id = ?`, [id]);
  return rows[0] ? toDelivery(rows[0]) : null;
}

/**
 * Records that a period is to be delivered. Scheduled deliveries are unique per (schedule, period):
 * a second insert of the same period (another replica, a catch-up after a restart) does nothing and
 * returns null. Manual ones are recorded each time they are asked for.
 */
export async function insertDelivery(
  em: EntityManager,
  delivery: { scheduleId: string; eventId: string; trigger: DeliveryTrigger; scheduledFor: Date; period: ReportPeriod },
): Promise<string | null> {
  const { period } = delivery;
  const rows = await em.execute<{ id: string }[]>(
    `insert into report_deliveries
       (id, schedule_id, event_id, trigger, scheduled_for, period_from, period_to, period_start, period_end, status)
     values (?, ?, ?, ?, ?, ?::date, ?::date, ?, ?, 'PENDING')
     on conflict (schedule_id, period_start, period_end) where trigger = 'SCHEDULED' do nothing
     returning id`,
    [
      randomUUID(),
      delivery.scheduleId,
      delivery.eventId,
      delivery.trigger,
      delivery.scheduledFor.toISOString(),
      period.from,
      period.to,
      period.start.toISOString(),
      period.end.toISOString(),
    ],
  );
  return rows[0]?.id ?? null;
}
