import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../../kernel/db/sql';
import { isDependencyOutage } from '../../../kernel/errors';
import type { Logger } from '../../../kernel/logger';
import { summarize } from '../analytics-service';
import { loadFactTotals } from '../facts-repository';
import { exportReport, REPORT_MAX_BYTES, type ReportFormat } from '../report/export-service';
import { insertDelivery } from './delivery-store';
import { nextRunAfter, periodOf, type ReportPeriod } from './recurrence';
import { enqueueReportReady } from './report-ready';
import { toSchedule } from './schedule-store';

/** Schedules claimed per pass, and pending deliveries built per pass. */
const BATCH = 100;
/**
 * Most missed periods of one schedule delivered late after an outage (a month of a daily report);
 * older ones are skipped, logged, rather than flooding the recipients.
 */
export const MAX_CATCH_UP = 31;

export type DeliveryOutcome = 'QUEUED' | 'FAILED' | 'SKIPPED';

export interface DeliveryOptions {
  /** Largest file sent (before base64); the export's own limit unless told otherwise. */
  maxBytes?: number;
  /**
   * Wait for a replica that is building this delivery instead of skipping it, so the caller then
   * reads its outcome (a person who asked for it now); scheduler passes skip.
   */
  waitForOthers?: boolean;
}

/**
 * Finds the schedules that are due and records one PENDING delivery per period that came due,
 * oldest first, then moves each schedule's `next_run_at` past `now`. Schedules are claimed with
 * `FOR UPDATE SKIP LOCKED`, and a period's delivery is unique, so replicas running this at once, or a
 * pass repeated after a crash, record each period once. A process that was down when a period came
 * due records it on its next pass: the period is delivered late, once.
 */
export async function claimDueSchedules(em: EntityManager, logger: Logger, now = new Date()): Promise<number> {
  return em.fork().transactional(async (tx) => {
    const rows = await tx.execute<Record<string, unknown>[]>(
      `select s.* from report_schedules s
        where s.is_active and s.next_run_at <= ?
        order by s.next_run_at
        limit ${BATCH}
        for update skip locked`,
      [now.toISOString()],
    );
    let recorded = 0;
    for (const schedule of rows.map(toSchedule)) {
      let runAt = schedule.nextRunAt;
      for (let runs = 0; runAt <= now && runs < MAX_CATCH_UP; runs += 1) {
        const id = await insertDelivery(tx, {
          scheduleId: schedule.id,
          eventId: schedule.eventId,
          trigger: 'SCHEDULED',
          scheduledFor: runAt,
          period: periodOf(schedule, runAt),
        });
        if (id) recorded += 1;
        runAt = nextRunAfter(schedule, runAt);
      }
      if (runAt <= now) {
        logger.warn({ scheduleId: schedule.id, skippedFrom: runAt }, 'report schedule was overdue by more periods than are caught up; skipping the oldest');
        runAt = nextRunAfter(schedule, now);
      }
      await tx.execute(`update report_schedules set next_run_at = ?, updated_at = now() where id = ?`, [runAt.toISOString(), schedule.id]);
    }
    return recorded;
  });
}

interface PendingDelivery {
  id: string;
  schedule_id: string;
  event_id: string;
  trigger: 'SCHEDULED' | 'MANUAL';
  period_from: string;
  period_to: string;
  period_start: string;
  period_end: string;
  format: ReportFormat;
  recipients: string[];
  time_zone: string;
  event_name: string | null;
  currency: string | null;
}

const failureMessage = (error: unknown) => String((error as Error)?.message ?? error).slice(0, 1000);

/**
 * Builds one PENDING delivery: the report of its period with the export code, then, in the same
 * transaction, the ReportReady message in the outbox and the delivery marked QUEUED. The row is
 * locked for the whole build (`SKIP LOCKED` unless `waitForOthers`), so two replicas never build it
 * twice; a process that dies mid-build rolls back and leaves it PENDING for the next pass. A report that cannot be sent
 * (too large, event gone) is marked FAILED with the reason; an outage leaves it PENDING and throws.
 */
export async function deliver(em: EntityManager, logger: Logger, deliveryId: string, options: DeliveryOptions = {}): Promise<DeliveryOutcome> {
  try {
    return await em.fork().transactional(async (tx): Promise<DeliveryOutcome> => {
      const [row] = await tx.execute<PendingDelivery[]>(
        `select d.id, d.schedule_id, d.event_id, d.trigger,
                to_char(d.period_from, 'YYYY-MM-DD') as period_from, to_char(d.period_to, 'YYYY-MM-DD') as period_to,
                d.period_start, d.period_end, s.format, s.recipients, s.time_zone, e.name as event_name, e.currency
           from report_deliveries d
           join report_schedules s on s.id = d.schedule_id
           left join platform_events e on e.id = d.event_id
          where d.id = ? and d.status = 'PENDING'
          for update of d${options.waitForOthers ? '' : ' skip locked'}`,
        [deliveryId],
      );
      if (!row) return 'SKIPPED';
      const fail = async (reason: string) => {
        await tx.execute(
          `update report_deliveries set status = 'FAILED', attempts = attempts + 1, failure_reason = ?, updated_at = now() where id = ?`,
          [reason.slice(0, 1000), row.id],
        );
        return 'FAILED' as const;
      };
      if (row.event_name === null || row.currency === null) return fail('The event no longer exists on the platform.');

      const period: ReportPeriod = {
        from: row.period_from,
        to: row.period_to,
        start: new Date(row.period_start),
        end: new Date(row.period_end),
        days: Math.round((Date.parse(`${row.period_to}T00:00:00Z`) - Date.parse(`${row.period_from}T00:00:00Z`)) / 86_400_000) + 1,
      };
      const view = summarize(
        { id: row.event_id, name: row.event_name, currency: row.currency },
        period,
        await loadFactTotals(tx, [row.event_id], period),
      );
      let file;
      try {
        file = await exportReport(view, row.format, { maxBytes: options.maxBytes ?? REPORT_MAX_BYTES });
      } catch (error) {
        // The export refuses a file over the limit with BAD_USER_INPUT; here nobody can pick a shorter period.
        if (error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT') return fail(error.message);
        throw error;
      }
      const now = new Date();
      const { outboxId, envelope } = enqueueReportReady(
        tx,
        {
          deliveryId: row.id,
          scheduleId: row.schedule_id,
          eventId: row.event_id,
          eventName: row.event_name,
          trigger: row.trigger,
          period: { from: period.from, to: period.to, start: period.start.toISOString(), end: period.end.toISOString(), timeZone: row.time_zone },
          recipients: row.recipients,
          filename: file.filename,
          contentType: file.contentType,
          byteLength: file.bytes.length,
          base64: file.bytes.toString('base64'),
        },
        now,
      );
      await tx.execute(
        `update report_deliveries
            set status = 'QUEUED', attempts = attempts + 1, failure_reason = null, format = ?, recipients = ?::text[],
                filename = ?, content_type = ?, byte_length = ?, message_id = ?, outbox_message_id = ?, queued_at = ?, updated_at = now()
          where id = ?`,
        [
          row.format,
          pgArray(row.recipients),
          file.filename,
          file.contentType,
          file.bytes.length,
          envelope.id,
          outboxId,
          now.toISOString(),
          row.id,
        ],
      );
      return 'QUEUED';
    });
  } catch (error) {
    if (isDependencyOutage(error)) throw error;
    // A bug, not an outage: building it again each pass would fail the same way, so it is marked
    // FAILED for someone to look at (and retry) rather than retried forever.
    logger.error({ err: error, deliveryId }, 'building a scheduled report failed');
    await em
      .fork()
      .execute(
        `update report_deliveries set status = 'FAILED', attempts = attempts + 1, failure_reason = ?, updated_at = now()
          where id = ? and status = 'PENDING'`,
        [`The report could not be built because of an internal error (${failureMessage(error).slice(0, 200)}); it can be retried.`, deliveryId],
      );
    return 'FAILED';
  }
}

/** Builds every PENDING delivery (those another replica is building are skipped). */
export async function deliverPending(em: EntityManager, logger: Logger, options: DeliveryOptions = {}): Promise<Record<DeliveryOutcome, number>> {
  const counts: Record<DeliveryOutcome, number> = { QUEUED: 0, FAILED: 0, SKIPPED: 0 };
  const rows = await em
    .fork()
    .execute<{ id: string }[]>(`select id from report_deliveries where status = 'PENDING' order by created_at, id limit ${BATCH}`);
  for (const { id } of rows) counts[await deliver(em, logger, id, options)] += 1;
  return counts;
}

/** One scheduler tick: record what came due, then build what is pending (including leftovers of a crash). */
export async function runReportSchedules(em: EntityManager, logger: Logger, options: DeliveryOptions & { now?: Date } = {}) {
  const recorded = await claimDueSchedules(em, logger, options.now);
  const built = await deliverPending(em, logger, options);
  if (recorded > 0 || built.QUEUED > 0 || built.FAILED > 0) logger.info({ recorded, ...built }, 'scheduled reports delivered');
  return { recorded, ...built };
}
