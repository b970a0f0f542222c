import { createHash } from 'node:crypto';
import { allow } from 'graphql-shield';
import { canAccessEventOf } from '../../kernel/auth/rules';
import { isUuid } from '../../kernel/ids';
import { authorizeSubscription } from '../../kernel/live/authorize';
import { liveHubFrom } from '../../kernel/live/hub';
import { LiveChannels, type OfferInventoryChange } from '../../kernel/live/live-events';
import { unwrapLive, type LiveMessage } from '../../kernel/live/live-meta';
import { readOfferInventoryChange } from '../../kernel/live/live-messages';
import type { SnapshotFeedDefinition } from '../../kernel/live/snapshot-feed';
import type { SubscriptionPart } from '../../kernel/live/subgraph-part';
import { Offer } from './entities/offer';
import type { Resolvers, ResolversParentTypes } from './generated/resolvers-types';
import { isVisibleToAttendees } from './visibility';

type OfferInventoryUpdate = ResolversParentTypes['OfferInventoryUpdate'];

/** The offers one read found, by id. */
type OffersRead = Map<string, Offer>;
/** The row version (`offers.live_version`) of each offer a subscriber has been sent. */
type SentVersions = Map<string, number>;

/**
 * An event's offers: a snapshot of every offer the subscriber may see, one message each, then the
 * offers that changed, read once per window in one statement for every subscriber of the event in
 * this process. Each message is an offer's whole state, so a subscriber is sent an offer only when
 * its row version is newer than the one it has: a change its snapshot already showed is not sent
 * again.
 *
 * One message per offer rather than one message with a list: the contract's operation selects
 * `offer`, a non-null single offer, and dashboards merge offers by id in their cache either way.
 * An event with no offer the subscriber may see has an empty snapshot: no message until one changes.
 */
export const offerInventoryUpdates: SnapshotFeedDefinition<OfferInventoryChange, OffersRead, SentVersions, OfferInventoryUpdate> = {
  name: 'offerInventoryChanged',
  channel: LiveChannels.offerInventory,
  parse: readOfferInventoryChange,
  read: async (eventId, changes, whole, runtime) => {
    const ids = [...new Set(changes.map((change) => change.offerId).filter(isUuid))];
    if (!whole && ids.length === 0) return new Map();
    const where = whole ? { eventId } : { id: { $in: ids }, eventId };
    const offers = await runtime.orm.em.fork().find(Offer, where, { orderBy: { id: 'asc' } });
    return new Map(offers.map((offer) => [offer.id, offer]));
  },
  snapshot: (offers, accepts) => {
    const messages = [...offers.values()].map((offer) => ({ offer, snapshot: true })).filter(accepts);
    return { messages, state: new Map(messages.map(({ offer }) => [offer.id, offer.liveVersion])) };
  },
  changes: (offers, changes, sent, accepts) => {
    const messages: OfferInventoryUpdate[] = [];
    for (const offerId of [...new Set(changes.map((change) => change.offerId))].sort()) {
      const offer = offers.get(offerId);
      if (!offer || (sent.get(offerId) ?? 0) >= offer.liveVersion) continue;
      const message = { offer, snapshot: false };
      if (!accepts(message)) continue;
      sent.set(offerId, offer.liveVersion);
      messages.push(message);
    }
    return messages;
  },
  digest: (sent) =>
    createHash('sha256')
      .update([...sent].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, version]) => `${id}:${version}`).join(','))
      .digest('base64url')
      .slice(0, 22),
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
      // Checked before the snapshot is read, as for the changes: a refused caller gets nothing.
      subscribe: async (_parent, args, context, info) => {
        await authorizeSubscription(canAccessEvent, args, context, info);
        const organizer = await context.access.isEventOrganizer(args.eventId);
        return liveHubFrom(context)
          .snapshotFeed(offerInventoryUpdates)
          .subscribe(args.eventId, organizer ? undefined : (update) => visibleToAttendees(update));
      },
      resolve: (message: LiveMessage<OfferInventoryUpdate>, _args: unknown, context: object) => unwrapLive(message, context),
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
