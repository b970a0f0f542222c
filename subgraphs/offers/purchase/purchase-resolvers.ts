import { badUserInput, notFound, unauthenticated } from '../../../kernel/errors';
import { money } from '../../../kernel/money';
import { OfferPurchase } from '../entities/offer-purchase';
import type { Resolvers } from '../generated/resolvers-types';

const MAX_LIST = 200;

/** Purchases: buying, one's own purchases, and organizers' retry of a failed delivery. */
export const purchaseResolvers: Resolvers = {
  Query: {
    myPurchases: async (_parent, { eventId, limit }, context) => {
      if (!context.identity) throw unauthenticated();
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) {
        throw badUserInput('limit', `limit must be a whole number from 1 to ${MAX_LIST}.`);
      }
      return context.em.find(
        OfferPurchase,
        { userId: context.identity.userId, ...(eventId ? { eventId } : {}) },
        { orderBy: { createdAt: 'desc', id: 'desc' }, limit },
      );
    },
  },
  Mutation: {
    purchaseOffer: async (_parent, { offerId, quantity }, context) => {
      // The shield rule has checked the caller is signed in and can access the offer's event.
      if (!context.identity) throw unauthenticated();
      return context.services.purchases.purchase(context.identity.userId, offerId, quantity);
    },
    retryFulfillment: async (_parent, { purchaseId }, context) => {
      await context.services.fulfillment.retry(purchaseId);
      const purchase = await context.em.fork().findOne(OfferPurchase, purchaseId);
      if (!purchase) throw notFound('The purchase');
      return purchase;
    },
  },
  OfferPurchase: {
    offer: (purchase, _args, context) => context.loaders.offerById.load(purchase.offerId),
    unitPrice: (purchase) => money(purchase.unitPriceCents, purchase.currency),
    total: (purchase) => money(purchase.totalCents, purchase.currency),
  },
};
