import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { notFound } from '../../kernel/errors';
import { formatMoney, money, type Money } from '../../kernel/money';
import { DateTimeScalar } from '../../kernel/scalars';
import type { SubgraphContext } from '../../kernel/subgraph/context';
import type { Offer } from './entities/offer';
import type { OffersLoaders } from './loaders';
import { availableUnits, findActiveOffers, isOnSale } from './offer-service';

type Context = SubgraphContext<OffersLoaders>;

/** Offers an attendee may see: organizers see drafts and past offers too. */
async function visibleOffers(offers: Offer[], eventId: string, context: Context): Promise<Offer[]> {
  if (await context.access.isEventOrganizer(eventId)) return offers;
  const now = new Date();
  return offers.filter((offer) => offer.isActive && (!offer.expiresAt || offer.expiresAt > now));
}

export const resolvers: GraphQLResolverMap<Context> = {
  DateTime: DateTimeScalar,
  Query: {
    event: async (_parent, { id }: { id: string }, context) => ((await context.access.events.load(id)) ? { id } : null),
    offer: async (_parent, { id }: { id: string }, context) => {
      const offer = await context.loaders.offerById.load(id);
      if (!offer || (await visibleOffers([offer], offer.eventId, context)).length === 0) throw notFound('The offer');
      return offer;
    },
    activeOffers: (_parent, { eventId }: { eventId: string }, context) => findActiveOffers(context.em, eventId),
  },
  Event: {
    __resolveReference: async (reference: { id: string }, context: Context) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
    offers: async ({ id }: { id: string }, _args, context) =>
      visibleOffers(await context.loaders.offersByEvent.load(id), id, context),
  },
  Offer: {
    __resolveReference: (reference: { id: string }, context: Context) => context.loaders.offerById.load(reference.id),
    price: (offer: Offer): Money => money(offer.priceCents, offer.currency),
    originalPrice: (offer: Offer): Money | null =>
      offer.originalPriceCents === null ? null : money(offer.originalPriceCents, offer.currency),
    inventory: (offer: Offer) => ({
      total: offer.inventoryTotal,
      sold: offer.sold,
      reserved: offer.reserved,
      available: availableUnits(offer),
    }),
    isActive: (offer: Offer) => offer.isActive,
    onSale: (offer: Offer) => isOnSale(offer),
  },
  Money: {
    formatted: (value: Money) => formatMoney(value),
  },
};
