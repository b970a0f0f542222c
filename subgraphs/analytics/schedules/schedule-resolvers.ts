import type { AnalyticsContext } from '../context';
import type { Resolvers } from '../generated/resolvers-types';
import type { ReportPeriod } from './recurrence';
import { formatTimeOfDay, WEEKDAYS } from './schedule-input';
import * as schedules from './schedule-service';

/** A period as the API shows it: the days, their instants and the zone they are days of. */
export type ReportPeriodView = ReportPeriod & { timeZone: string };

const userId = (context: AnalyticsContext) => context.identity!.userId;

/** The scheduled reports' part of the analytics resolvers (thin: the rules live in schedule-service). */
export const scheduleResolvers: Resolvers = {
  Query: {
    reportSchedules: (_parent, { eventId }, context) => schedules.listSchedules(context.em, eventId),
    reportDeliveries: (_parent, { scheduleId, first }, context) => schedules.deliveriesOf(context.em, scheduleId, first ?? undefined),
  },
  Mutation: {
    createReportSchedule: (_parent, { eventId, input }, context) =>
      schedules.createSchedule(context.em, eventId, input, userId(context)),
    updateReportSchedule: (_parent, { id, input }, context) => schedules.updateSchedule(context.em, id, input),
    deleteReportSchedule: (_parent, { id }, context) => schedules.deleteSchedule(context.em, id),
    sendReportNow: (_parent, { scheduleId }, context) => schedules.sendNow(context.em, context.logger, scheduleId),
    retryReportDelivery: (_parent, { deliveryId }, context) => schedules.retryDelivery(context.em, context.logger, deliveryId),
  },
  ReportSchedule: {
    weekday: (schedule) => (schedule.weekday ? WEEKDAYS[schedule.weekday - 1] : null),
    timeOfDay: (schedule) => formatTimeOfDay(schedule.hour, schedule.minute),
    nextRunAt: (schedule) => (schedule.isActive ? schedule.nextRunAt : null),
    nextPeriod: (schedule) => schedules.nextPeriodOf(schedule),
  },
};
