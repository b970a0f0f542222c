import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict, notFound } from '../../../kernel/errors';
import type { Logger } from '../../../kernel/logger';
import { deliveriesOfSchedule, findDelivery, insertDelivery, MAX_HISTORY, type ReportDelivery } from './delivery-store';
import { deliver, type DeliveryOptions } from './delivery-runner';
import { latestRunAtOrBefore, nextRunAfter, periodOf, type ReportPeriod } from './recurrence';
import { changesTiming, resolveSettings, type ScheduleInput } from './schedule-input';
import * as store from './schedule-store';
import type { ReportSchedule } from './schedule-store';

/**
 * The rules of scheduled reports, for the resolvers (access is decided before, by graphql-shield)
 * and the tests. Each call is its own unit of work on a fork of `em`.
 */

export async function listSchedules(em: EntityManager, eventId: string): Promise<ReportSchedule[]> {
  return store.schedulesOfEvent(em.fork(), eventId);
}

/** A new schedule; its first run is the first time it is due after now. */
export async function createSchedule(
  em: EntityManager,
  eventId: string,
  input: ScheduleInput,
  createdBy: string,
  now = new Date(),
): Promise<ReportSchedule> {
  const settings = resolveSettings(input);
  return store.insertSchedule(em.fork(), eventId, settings, nextRunAfter(settings, now), createdBy);
}

async function existing(em: EntityManager, id: string): Promise<ReportSchedule> {
  const [schedule] = await store.findSchedules(em, [id]);
  if (!schedule) throw notFound('The report schedule');
  return schedule;
}

/**
 * Changes a schedule. When its timing changes, or it is switched back on, its next run is computed
 * again from now: periods that came due while it was off are not sent afterwards.
 */
export async function updateSchedule(em: EntityManager, id: string, input: ScheduleInput, now = new Date()): Promise<ReportSchedule> {
  return em.fork().transactional(async (tx) => {
    const current = await existing(tx, id);
    const settings = resolveSettings(input, current);
    const restart = changesTiming(current, settings) || (settings.isActive && !current.isActive);
    const nextRunAt = restart ? nextRunAfter(settings, now) : current.nextRunAt;
    return (await store.updateSchedule(tx, id, settings, nextRunAt))!;
  });
}

export async function deleteSchedule(em: EntityManager, id: string): Promise<boolean> {
  if (!(await store.deleteSchedule(em.fork(), id))) throw notFound('The report schedule');
  return true;
}

/** The period the next run will report on, or null while the schedule is off. */
export function nextPeriodOf(schedule: ReportSchedule): (ReportPeriod & { timeZone: string }) | null {
  return schedule.isActive ? { ...periodOf(schedule, schedule.nextRunAt), timeZone: schedule.timeZone } : null;
}

export async function deliveriesOf(em: EntityManager, scheduleId: string, first = 20): Promise<ReportDelivery[]> {
  return deliveriesOfSchedule(em.fork(), scheduleId, Math.max(1, Math.min(MAX_HISTORY, first)));
}

async function deliveredNow(em: EntityManager, logger: Logger, deliveryId: string, options: DeliveryOptions): Promise<ReportDelivery> {
  // A scheduler pass of another replica may have picked the new PENDING row first: wait for it.
  await deliver(em, logger, deliveryId, { ...options, waitForOthers: true });
  return (await findDelivery(em.fork(), deliveryId))!;
}

/**
 * Sends the report of the latest period that has ended (what the last run covered, or would have)
 * to the schedule's recipients now, whether or not the schedule is active. Recorded as a MANUAL
 * delivery beside the scheduled ones; the period's scheduled delivery is not affected.
 */
export async function sendNow(
  em: EntityManager,
  logger: Logger,
  scheduleId: string,
  options: DeliveryOptions & { now?: Date } = {},
): Promise<ReportDelivery> {
  const now = options.now ?? new Date();
  const schedule = await existing(em.fork(), scheduleId);
  const runAt = latestRunAtOrBefore(schedule, now);
  const id = await insertDelivery(em.fork(), {
    scheduleId,
    eventId: schedule.eventId,
    trigger: 'MANUAL',
    scheduledFor: now,
    period: periodOf(schedule, runAt),
  });
  return deliveredNow(em, logger, id!, options);
}

/** Builds a FAILED delivery again, with the schedule's current format and recipients. */
export async function retryDelivery(
  em: EntityManager,
  logger: Logger,
  deliveryId: string,
  options: DeliveryOptions = {},
): Promise<ReportDelivery> {
  const current = await findDelivery(em.fork(), deliveryId);
  if (!current) throw notFound('The report delivery');
  const reset = await em
    .fork()
    .execute<{ id: string }[]>(
      `update report_deliveries set status = 'PENDING', updated_at = now() where id = ? and status = 'FAILED' returning id`,
      [deliveryId],
    );
  if (reset.length === 0) {
    throw conflict(`Only a failed delivery can be retried; this one is ${current.status}.`, { reason: 'DELIVERY_NOT_FAILED' });
  }
  return deliveredNow(em, logger, deliveryId, options);
}
