import { notFound } from '../../kernel/errors';
import { formatMoney, money } from '../../kernel/money';
import { DateTimeScalar } from '../../kernel/scalars';
import type { Offer } from './entities/offer';
import type { OffersContext } from './context';
import type { Resolvers } from './generated/resolvers-types';
import { availableUnits, findActiveOffers, isOnSale } from './offer-service';

/** Offers an attendee may see: organizers see drafts and past offers too. */
async function visibleOffers(offers: Offer[], eventId: string, context: OffersContext): Promise<Offer[]> {
  if (await context.access.isEventOrganizer(eventId)) return offers;
  const now = new Date();
  return offers.filter((offer) => offer.isActive && (!offer.expiresAt || offer.expiresAt > now));
}

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    event: async (_parent, { id }, context) => ((await context.access.events.load(id)) ? { id } : null),
    offer: async (_parent, { id }, context) => {
      const offer = await context.loaders.offerById.load(id);
      if (!offer || (await visibleOffers([offer], offer.eventId, context)).length === 0) throw notFound('The offer');
      return offer;
    },
    activeOffers: (_parent, { eventId }, context) => findActiveOffers(context.em, eventId),
  },
  Event: {
    __resolveReference: async (reference, context) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
    offers: async ({ id }, _args, context) =>
      visibleOffers(await context.loaders.offersByEvent.load(id), id, context),
  },
  Offer: {
    __resolveReference: (reference, context) => context.loaders.offerById.load(reference.id),
    price: (offer) => money(offer.priceCents, offer.currency),
    originalPrice: (offer) =>
      offer.originalPriceCents === null ? null : money(offer.originalPriceCents, offer.currency),
    inventory: (offer) => ({
      total: offer.inventoryTotal,
      sold: offer.sold,
      reserved: offer.reserved,
      available: availableUnits(offer),
    }),
    onSale: (offer) => isOnSale(offer),
  },
  Money: {
    formatted: (value) => formatMoney(value),
  },
};
