import { allow, chain } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import type { GraphQLResolveInfo } from 'graphql';
import { canAccessEventOf, checkedRule, isAuthenticated, isOrganizerOf, withinRateLimit } from '../../kernel/auth/rules';
import { notFound, unauthenticated } from '../../kernel/errors';
import type { OffersContext } from './context';
import type { Offer } from './entities/offer';
import type { OfferPurchase } from './entities/offer-purchase';
import { isVisibleToAttendees } from './offer-availability';

/** The event of the offer named by an argument (undefined when there is no such offer). */
const eventOfOffer =
  (argument: string) =>
  async (_parent: unknown, args: Record<string, string>, context: OffersContext) =>
    (await context.loaders.offerById.load(args[argument]))?.eventId;

const eventOfPurchase = async (_parent: unknown, args: { purchaseId: string }, context: OffersContext) =>
  (await context.loaders.purchaseById.load(args.purchaseId))?.eventId;

/**
 * Whether the caller may see an offer: they can access its event and the offer is visible to
 * attendees, or they organize the event (organizers see drafts and ended offers too).
 */
async function maySeeOffer(offer: Offer | null | undefined, context: OffersContext): Promise<boolean> {
  if (!offer || !(await context.access.canAccessEvent(offer.eventId))) return false;
  return isVisibleToAttendees(offer) || context.access.isEventOrganizer(offer.eventId);
}

/** `maySeeOffer` when this request already has the answers it needs, else undefined. */
function maySeeOfferNow(offer: Offer, context: OffersContext): boolean | undefined {
  const access = context.access.knownAccess(offer.eventId);
  if (access !== true) return access;
  return isVisibleToAttendees(offer) || context.access.knownOrganizer(offer.eventId);
}

/** A purchase's offer is shown to whoever may see the purchase (its buyer), also once the offer has ended. */
const reachedThroughPurchase = (info: GraphQLResolveInfo): boolean => info.path.prev?.typename === 'OfferPurchase';

/** Every field of an offer, on every path (`_entities` included): hidden offers do not exist for attendees. */
const canSeeOffer = checkedRule((offer: Offer, _args, context: OffersContext, info) => {
  if (reachedThroughPurchase(info)) return true;
  const now = offer ? maySeeOfferNow(offer, context) : false;
  if (now !== undefined) return now || notFound('The offer');
  return maySeeOffer(offer, context).then((may) => may || notFound('The offer'));
});

/** The offer named by an argument is one the caller may see. */
const canSeeOfferNamed = (argument: string) =>
  checkedRule(async (_parent: unknown, args: Record<string, string>, context: OffersContext) =>
    (await maySeeOffer(await context.loaders.offerById.load(args[argument]), context)) ? true : notFound('The offer'),
  );

/** Purchases are seen by their buyer and by the event's organizers; by nobody else. */
const canSeePurchase = checkedRule(async (purchase: OfferPurchase, _args, context: OffersContext) => {
  if (!context.identity) return unauthenticated();
  if (context.identity.userId === purchase.userId) return true;
  return (await context.access.isEventOrganizer(purchase.eventId)) ? true : notFound('The purchase');
});

/** Mirrors the schema: type → field → rule. Anything not listed is denied. */
/** An organizer's step on a purchase; someone else's purchase is not the caller's to know of. */
const purchaseOfCaller = {
  what: 'The purchase',
  knownToCaller: async (_parent: unknown, args: { purchaseId: string }, context: OffersContext) =>
    (await context.loaders.purchaseById.load(args.purchaseId))?.userId === context.identity?.userId,
};

export const permissions: IRules = {
  Query: {
    event: canAccessEventOf((_parent, args: { id: string }) => args.id),
    offer: canSeeOfferNamed('id'),
    activeOffers: canAccessEventOf((_parent, args: { eventId: string }) => args.eventId),
    myPurchases: isAuthenticated,
    fulfillmentQueue: isOrganizerOf((_parent, args: { eventId: string }) => args.eventId),
  },
  Mutation: {
    createOffer: isOrganizerOf((_parent, args: { input: { eventId: string } }) => args.input.eventId),
    updateOffer: isOrganizerOf(eventOfOffer('id'), {
      what: 'The offer',
      // A draft or ended offer is not shown to attendees.
      knownToCaller: async (_parent, args: { id: string }, context: OffersContext) => {
        const offer = await context.loaders.offerById.load(args.id);
        return offer !== null && offer !== undefined && isVisibleToAttendees(offer);
      },
    }),
    trackOfferView: chain(canSeeOfferNamed('offerId'), withinRateLimit('track')),
    trackOfferClick: chain(canSeeOfferNamed('offerId'), withinRateLimit('track')),
    // Knowing an offer's id is not enough: the caller must be able to access its event.
    purchaseOffer: chain(
      isAuthenticated,
      canAccessEventOf(eventOfOffer('offerId'), { as: 'NOT_FOUND', what: 'The offer' }),
      withinRateLimit('purchase'),
    ),
    retryFulfillment: isOrganizerOf(eventOfPurchase, purchaseOfCaller),
    recordShipment: isOrganizerOf(eventOfPurchase, purchaseOfCaller),
    confirmTicketUpgrade: isOrganizerOf(eventOfPurchase, purchaseOfCaller),
  },
  Event: {
    id: allow,
    offers: canAccessEventOf<{ id: string }>((event) => event.id),
  },
  // Every field of an offer, also when reached through `_entities`, needs the right to see it;
  // its purchases are for the event's organizers only.
  Offer: {
    '*': canSeeOffer,
    purchases: isOrganizerOf<Offer>((offer) => offer.eventId, { what: 'The offer' }),
  },
  OfferPurchase: canSeePurchase,
  PurchaseResult: allow,
  OfferInventory: allow,
  Money: allow,
};
