import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '../../kernel/logger';
import { createSchedule, sendNow } from '../../subgraphs/analytics/schedules/schedule-service';
import type { ScheduleInput } from '../../subgraphs/analytics/schedules/schedule-input';

const logger = createLogger('silent');

/** A schedule as an organizer would create it (by default DAILY at 00:00 UTC, XLSX, one recipient). */
export function addSchedule(orm: MikroORM, eventId: string, input: ScheduleInput = {}, createdBy = 'u-owner') {
  return createSchedule(
    orm.em,
    eventId,
    { frequency: 'DAILY', timeOfDay: '00:00', timeZone: 'UTC', format: 'XLSX', recipients: ['finance@example.com'], ...input },
    createdBy,
  );
}

/** Moves a schedule's next run to `at`: what the clock reaching that time looks like to the scheduler. */
export async function makeDue(orm: MikroORM, scheduleId: string, at: Date): Promise<void> {
  await orm.em.fork().execute(`update report_schedules set next_run_at = ? where id = ?`, [at.toISOString(), scheduleId]);
}

/** A delivery that FAILED (its file was over a limit of a few bytes), ready to be retried. */
export async function failedDelivery(orm: MikroORM, scheduleId: string) {
  return sendNow(orm.em, logger, scheduleId, { maxBytes: 10 });
}

/** Rows of a table that belong to one schedule (deliveries) or carry its key (outbox). */
export async function countFor(orm: MikroORM, scheduleId: string) {
  const [row] = await orm.em.fork().execute<{ deliveries: string; messages: string }[]>(
    `select (select count(*) from report_deliveries where schedule_id = ?) as deliveries,
            (select count(*) from outbox_messages where topic = 'analytics.reports.v1' and message_key = ?) as messages`,
    [scheduleId, scheduleId],
  );
  return { deliveries: Number(row.deliveries), messages: Number(row.messages) };
}
