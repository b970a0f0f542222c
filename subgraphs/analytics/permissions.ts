import { allow, chain, type IRules } from 'graphql-shield';
import { isOrganizerOf, withinRateLimit } from '../../kernel/auth/rules';
import type { EventRef } from '../../kernel/subgraph/references';
import type { MonetizationAnalyticsView } from './analytics-service';
import { schedulePermissions } from './schedules/schedule-permissions';

/** Analytics and exports are the organizers' business: the event's owner or its organization's members. */
const organizerOfEventArg = isOrganizerOf((_parent, args: { eventId: string }) => args.eventId);

/** Mirrors schema.graphql: type → field → rule. Anything not listed is denied. */
export const permissions: IRules = {
  Query: {
    monetizationAnalytics: organizerOfEventArg,
    ...schedulePermissions.Query,
  },
  Mutation: {
    // Each export reads every fact of the period and builds a file of up to 5 MB: budgeted per user.
    exportMonetizationReport: chain(organizerOfEventArg, withinRateLimit('export')),
    ...schedulePermissions.Mutation,
  },
  Event: {
    id: allow,
    // Guards the federated path too: the gateway reaches this field through `_entities`.
    monetizationAnalytics: isOrganizerOf<EventRef>((event) => event.id),
  },
  // Checked again on the object itself, so that no future path to it can skip the rule.
  MonetizationAnalytics: isOrganizerOf<MonetizationAnalyticsView>((view) => view.eventId),
  RevenueSummary: allow,
  OfferPerformance: allow,
  AdPerformance: allow,
  WaitlistMetrics: allow,
  MonetizationFunnel: allow,
  MonetizationReport: allow,
  ...schedulePermissions.types,
  ReportPeriod: allow,
  Offer: allow,
  Ad: allow,
  Money: allow,
};
