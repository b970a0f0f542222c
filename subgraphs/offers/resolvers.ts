import { badUserInput, notFound } from '../../kernel/errors';
import { formatMoney, money } from '../../kernel/money';
import { DateTimeScalar, MinorUnitsScalar } from '../../kernel/scalars';
import type { Resolvers } from './generated/resolvers-types';
import { availableUnits, isOnSale, isVisibleToAttendees } from './offer-availability';
import { createOffer, findActiveOffers, updateOffer } from './offer-service';
import { trackOfferInterest } from './offer-tracking';
import { purchaseResolvers } from './purchase/purchase-resolvers';

const offerResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  MinorUnits: MinorUnitsScalar,
  Query: {
    event: async (_parent, { id }, context) => ((await context.access.events.load(id)) ? { id } : null),
    // The shield rule has checked the caller may see the offer.
    offer: async (_parent, { id }, context) => {
      const offer = await context.loaders.offerById.load(id);
      if (!offer) throw notFound('The offer');
      return offer;
    },
    activeOffers: (_parent, { eventId }, context) => findActiveOffers(context.em, eventId),
  },
  Mutation: {
    trackOfferView: (_parent, { offerId }, context) => trackOfferInterest(context, offerId, 'OfferViewed'),
    trackOfferClick: (_parent, { offerId }, context) => trackOfferInterest(context, offerId, 'OfferClicked'),
    createOffer: async (_parent, { input }, context) => {
      // The shield rule has checked the event exists and the caller organizes it.
      const event = await context.access.events.load(input.eventId);
      if (!event) throw notFound('The event');
      const offer = await createOffer(context.em, input, event.currency);
      await context.services.live.changed(offer.eventId, offer.id);
      return offer;
    },
    updateOffer: async (_parent, { id, input }, context) => {
      const offer = await context.loaders.offerById.load(id);
      if (!offer) throw notFound('The offer');
      if (Object.keys(input).length === 0) throw badUserInput('input', 'Give at least one field to change.');
      const updated = await updateOffer(context.em, offer, input);
      await context.services.live.changed(updated.eventId, updated.id);
      return updated;
    },
  },
  Event: {
    __resolveReference: async (reference, context) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
    // The list leaves out what the caller may not see; the `Offer` rule would refuse it field by field.
    offers: async ({ id }, _args, context) => {
      const offers = await context.loaders.offersByEvent.load(id);
      if (await context.access.isEventOrganizer(id)) return offers;
      const now = new Date();
      return offers.filter((offer) => isVisibleToAttendees(offer, now));
    },
  },
  Offer: {
    __resolveReference: (reference, context) => context.loaders.offerById.load(reference.id),
    price: (offer) => money(offer.priceCents, offer.currency),
    originalPrice: (offer) => (offer.originalPriceCents === null ? null : money(offer.originalPriceCents, offer.currency)),
    inventory: (offer) => ({
      total: offer.inventoryTotal,
      sold: offer.sold,
      reserved: offer.reserved,
      available: availableUnits(offer),
    }),
    onSale: (offer) => isOnSale(offer),
    purchases: (offer, _args, context) => context.loaders.purchasesByOffer.load(offer.id),
  },
  Money: {
    formatted: (value) => formatMoney(value),
  },
};

export const resolvers: Resolvers = {
  ...offerResolvers,
  Query: { ...offerResolvers.Query, ...purchaseResolvers.Query },
  Mutation: { ...offerResolvers.Mutation, ...purchaseResolvers.Mutation },
  OfferPurchase: purchaseResolvers.OfferPurchase,
};
