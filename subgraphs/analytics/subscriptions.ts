import { allow } from 'graphql-shield';
import { isOrganizerOf } from '../../kernel/auth/rules';
import { authorizeSubscription } from '../../kernel/live/authorize';
import type { FeedDefinition } from '../../kernel/live/feed';
import { liveHubFrom } from '../../kernel/live/hub';
import { LiveChannels, type MonetizationActivity } from '../../kernel/live/live-events';
import { readMonetizationActivity } from '../../kernel/live/live-messages';
import type { SubscriptionPart } from '../../kernel/live/subgraph-part';
import { formatMoney, money } from '../../kernel/money';
import { DateTimeScalar, MinorUnitsScalar } from '../../kernel/scalars';
import type { Resolvers, ResolversParentTypes } from './generated/resolvers-types';

type ActivityMessage = ResolversParentTypes['MonetizationActivity'];

/**
 * An event's monetization activity, every fact sent as it comes (not coalesced: each one is a
 * purchase or a click the organizer watches for). The offer is only a reference; the gateway asks
 * the offers subgraph for the fields the subscriber selected.
 */
export const monetizationActivityFeed: FeedDefinition<MonetizationActivity, MonetizationActivity[], ActivityMessage> = {
  name: 'monetizationActivity',
  channel: LiveChannels.monetizationActivity,
  parse: readMonetizationActivity,
  coalesce: false,
  startBatch: () => [],
  addToBatch: (batch, activity) => {
    batch.push(activity);
  },
  flush: async (_eventId, batch) =>
    batch.map((activity) => ({
      kind: activity.kind,
      at: new Date(activity.at),
      amount: activity.amountCents !== undefined && activity.currency ? money(activity.amountCents, activity.currency) : null,
      offer: activity.offerId ? { id: activity.offerId } : null,
    })),
};

/**
 * The rule of `monetizationAnalytics(eventId)` (the contract: "subscribe: the same rule as reading
 * what the subscription carries"): the event's owner and its organization's members; FORBIDDEN to
 * others who can see the event, NOT_FOUND to those who cannot, so a private event stays hidden.
 */
const isOrganizerOfEvent = isOrganizerOf((_parent, args: { eventId: string }) => args.eventId);

const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  MinorUnits: MinorUnitsScalar,
  Subscription: {
    monetizationActivity: {
      subscribe: async (_parent, args, context, info) => {
        await authorizeSubscription(isOrganizerOfEvent, args, context, info);
        return liveHubFrom(context).feed(monetizationActivityFeed).subscribe(args.eventId);
      },
      resolve: (activity: ActivityMessage) => activity,
    },
  },
  Money: {
    formatted: (value) => formatMoney(value),
  },
};

export const analyticsSubscriptions: SubscriptionPart = {
  resolvers,
  permissions: {
    Subscription: { monetizationActivity: isOrganizerOfEvent },
    MonetizationActivity: allow,
    Money: allow,
    Offer: allow,
  },
};
