import { allow, chain } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import { canAccessEventOf, checkedRule, isAuthenticated, isOrganizerOf, withinRateLimit } from '../../kernel/auth/rules';
import { notFound, unauthenticated } from '../../kernel/errors';
import type { SubgraphContext } from '../../kernel/subgraph/context';
import type { Offer } from './entities/offer';
import type { OfferPurchase } from './entities/offer-purchase';
import type { OffersLoaders } from './loaders';

type Context = SubgraphContext<OffersLoaders>;

/** The event of the offer named by an argument (undefined when there is no such offer). */
const eventOfOffer =
  (argument: string) =>
  async (_parent: unknown, args: Record<string, string>, context: SubgraphContext) =>
    (await (context as Context).loaders.offerById.load(args[argument]))?.eventId;

const eventOfPurchase = async (_parent: unknown, args: { purchaseId: string }, context: SubgraphContext) =>
  (await (context as Context).loaders.purchaseById.load(args.purchaseId))?.eventId;

const canAccessOfferEvent = canAccessEventOf<Offer>((offer) => offer.eventId, { as: 'NOT_FOUND', what: 'The offer' });

/** Purchases are seen by their buyer and by the event's organizers; by nobody else. */
const canSeePurchase = checkedRule(async (purchase: OfferPurchase, _args, context: SubgraphContext) => {
  if (!context.identity) return unauthenticated();
  if (context.identity.userId === purchase.userId) return true;
  return (await context.access.isEventOrganizer(purchase.eventId)) ? true : notFound('The purchase');
});

/** Mirrors the schema: type → field → rule. Anything not listed is denied. */
export const permissions: IRules = {
  Query: {
    _service: allow,
    _entities: allow,
    event: canAccessEventOf((_parent, args: { id: string }) => args.id),
    offer: canAccessEventOf(eventOfOffer('id'), { as: 'NOT_FOUND', what: 'The offer' }),
    activeOffers: canAccessEventOf((_parent, args: { eventId: string }) => args.eventId),
    myPurchases: isAuthenticated,
    fulfillmentQueue: isOrganizerOf((_parent, args: { eventId: string }) => args.eventId),
  },
  Mutation: {
    createOffer: isOrganizerOf((_parent, args: { input: { eventId: string } }) => args.input.eventId),
    updateOffer: isOrganizerOf(eventOfOffer('id'), { what: 'The offer' }),
    trackOfferView: chain(canAccessEventOf(eventOfOffer('offerId'), { as: 'NOT_FOUND', what: 'The offer' }), withinRateLimit('track')),
    trackOfferClick: chain(canAccessEventOf(eventOfOffer('offerId'), { as: 'NOT_FOUND', what: 'The offer' }), withinRateLimit('track')),
    // Knowing an offer's id is not enough: the caller must be able to access its event.
    purchaseOffer: chain(
      isAuthenticated,
      canAccessEventOf(eventOfOffer('offerId'), { as: 'NOT_FOUND', what: 'The offer' }),
      withinRateLimit('purchase'),
    ),
    retryFulfillment: isOrganizerOf(eventOfPurchase, { what: 'The purchase' }),
    recordShipment: isOrganizerOf(eventOfPurchase, { what: 'The purchase' }),
    confirmTicketUpgrade: isOrganizerOf(eventOfPurchase, { what: 'The purchase' }),
  },
  Event: {
    id: allow,
    offers: canAccessEventOf<{ id: string }>((event) => event.id),
  },
  // Every field of an offer, also when reached through `_entities`, needs access to its event;
  // its purchases are for the event's organizers only.
  Offer: {
    '*': canAccessOfferEvent,
    purchases: isOrganizerOf<Offer>((offer) => offer.eventId, { what: 'The offer' }),
  },
  OfferPurchase: canSeePurchase,
  PurchaseResult: allow,
  OfferInventory: allow,
  Money: allow,
};
