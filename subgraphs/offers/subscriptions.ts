import { isVisibleToAttendees } from './offer-availability';
import { allow } from 'graphql-shield';
import { canAccessEventOf } from '../../kernel/auth/rules';
import { isUuid } from '../../kernel/ids';
import { authorizeSubscription } from '../../kernel/live/authorize';
import type { FeedDefinition } from '../../kernel/live/feed';
import { liveHubFrom } from '../../kernel/live/hub';
import { LiveChannels, type OfferInventoryChange } from '../../kernel/contracts/live-channels';
import { readOfferInventoryChange } from '../../kernel/contracts/live-messages';
import type { SubscriptionPart } from '../../kernel/live/subgraph-part';
import { Offer } from './entities/offer';
import type { Resolvers, ResolversParentTypes } from './generated/resolvers-types';

type OfferInventoryUpdate = ResolversParentTypes['OfferInventoryUpdate'];

/**
 * Inventory changes of an event's offers, coalesced per window: each offer that changed is read
 * once, in one statement for all of them, and sent once with its latest inventory.
 */
export const offerInventoryUpdates: FeedDefinition<OfferInventoryChange, Set<string>, OfferInventoryUpdate> = {
  name: 'offerInventoryChanged',
  channel: LiveChannels.offerInventory,
  parse: readOfferInventoryChange,
  coalesce: true,
  startBatch: () => new Set(),
  addToBatch: (offerIds, change) => {
    if (isUuid(change.offerId)) offerIds.add(change.offerId);
  },
  flush: async (eventId, offerIds, runtime) => {
    if (offerIds.size === 0) return [];
    const offers = await runtime.orm.em.fork().find(Offer, { id: { $in: [...offerIds] }, eventId }, { orderBy: { id: 'asc' } });
    return offers.map((offer) => ({ offer }));
  },
};

/**
 * What attendees may see of an event's offers, as `Event.offers` shows them: active and not
 * expired. Organizers see every offer.
 */
function visibleToAttendees({ offer }: OfferInventoryUpdate, now = new Date()): boolean {
  return isVisibleToAttendees(offer, now);
}

/** The rule of `activeOffers(eventId)`: anyone who can access the event. */
const canAccessEvent = canAccessEventOf((_parent, args: { eventId: string }) => args.eventId);

const resolvers: Resolvers = {
  Subscription: {
    offerInventoryChanged: {
      subscribe: async (_parent, args, context, info) => {
        await authorizeSubscription(canAccessEvent, args, context, info);
        const organizer = await context.access.isEventOrganizer(args.eventId);
        return liveHubFrom(context)
          .feed(offerInventoryUpdates)
          .subscribe(args.eventId, organizer ? undefined : (update) => visibleToAttendees(update));
      },
      resolve: (update: OfferInventoryUpdate) => update,
    },
  },
};

export const offersSubscriptions: SubscriptionPart = {
  resolvers,
  permissions: {
    Subscription: { offerInventoryChanged: canAccessEvent },
    OfferInventoryUpdate: allow,
  },
};
