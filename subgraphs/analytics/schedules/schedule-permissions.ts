import { isOrganizerOf } from '../../../kernel/auth/rules';
import type { AnalyticsContext } from '../context';
import type { ReportDelivery } from './delivery-store';
import type { ReportSchedule } from './schedule-store';

/**
 * Scheduled reports are analytics: the event's owner and its organization's members only, decided
 * on the event the schedule or delivery belongs to (read when asked, so a member removed from the
 * organization loses access at once). An unknown schedule is NOT_FOUND, like an event one may not see.
 */
const organizerOfEventArg = isOrganizerOf((_parent, args: { eventId: string }) => args.eventId);
const organizerOfSchedule = (arg: 'id' | 'scheduleId') =>
  isOrganizerOf(
    (_parent, args: Record<string, string>, context) => (context as AnalyticsContext).loaders.scheduleEventIds.load(args[arg]),
    { what: 'The report schedule' },
  );
const organizerOfDelivery = isOrganizerOf(
  (_parent, args: { deliveryId: string }, context) => (context as AnalyticsContext).loaders.deliveryEventIds.load(args.deliveryId),
  { what: 'The report delivery' },
);

export const schedulePermissions = {
  Query: {
    reportSchedules: organizerOfEventArg,
    reportDeliveries: organizerOfSchedule('scheduleId'),
  },
  Mutation: {
    createReportSchedule: organizerOfEventArg,
    updateReportSchedule: organizerOfSchedule('id'),
    deleteReportSchedule: organizerOfSchedule('id'),
    sendReportNow: organizerOfSchedule('scheduleId'),
    retryReportDelivery: organizerOfDelivery,
  },
  // Checked again on the objects, so that no future path to them can skip the rule.
  types: {
    ReportSchedule: isOrganizerOf<ReportSchedule>((schedule) => schedule.eventId),
    ReportDelivery: isOrganizerOf<ReportDelivery>((delivery) => delivery.eventId),
  },
};
