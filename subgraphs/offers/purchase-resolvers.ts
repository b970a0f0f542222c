import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../kernel/db/sql';
import { badUserInput, notFound, unauthenticated } from '../../kernel/errors';
import { money } from '../../kernel/money';
import { OfferPurchase } from './entities/offer-purchase';
import { ORGANIZER_STEPS } from './fulfillment';
import type { Resolvers } from './generated/resolvers-types';

const MAX_LIST = 200;

/** A purchase as it is now, after a step taken in another transaction. */
async function reloaded(em: EntityManager, purchaseId: string): Promise<OfferPurchase> {
  const purchase = await em.fork().findOne(OfferPurchase, purchaseId);
  if (!purchase) throw notFound('The purchase');
  return purchase;
}

/** Paid purchases of an event waiting on its organizers (see `fulfillmentQueue` in the SDL), oldest first. */
async function fulfillmentQueue(em: EntityManager, eventId: string): Promise<OfferPurchase[]> {
  const rows = await em.execute<{ id: string }[]>(
    `select p.id from offer_purchases p join offers o on o.id = p.offer_id
      where p.event_id = ? and p.status = 'COMPLETED'
        and (p.fulfillment_status = 'FAILED' or (p.fulfillment_status = 'PROCESSING' and o.type = any(?::text[])))
      order by p.completed_at, p.id limit ${MAX_LIST}`,
    [eventId, pgArray(Object.keys(ORGANIZER_STEPS))],
  );
  if (rows.length === 0) return [];
  return em.find(OfferPurchase, { id: { $in: rows.map((row) => row.id) } }, { orderBy: { completedAt: 'asc', id: 'asc' } });
}

/** Purchases: buying, one's own purchases, and the organizers' fulfillment steps (queue, ship, confirm, retry). */
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
    fulfillmentQueue: (_parent, { eventId }, context) => fulfillmentQueue(context.em, eventId),
  },
  Mutation: {
    purchaseOffer: async (_parent, { offerId, quantity }, context) => {
      // The shield rule has checked the caller is signed in and can access the offer's event.
      if (!context.identity) throw unauthenticated();
      return context.services.purchases.purchase(context.identity.userId, offerId, quantity);
    },
    retryFulfillment: async (_parent, { purchaseId }, context) => {
      await context.services.fulfillment.retry(purchaseId);
      return reloaded(context.em, purchaseId);
    },
    recordShipment: async (_parent, { purchaseId, trackingReference, note }, context) => {
      await context.services.fulfillment.completeByOrganizer(purchaseId, 'PHYSICAL', { trackingReference, note }, context.identity!.userId);
      return reloaded(context.em, purchaseId);
    },
    confirmTicketUpgrade: async (_parent, { purchaseId, note }, context) => {
      await context.services.fulfillment.completeByOrganizer(purchaseId, 'TICKET_UPGRADE', { note }, context.identity!.userId);
      return reloaded(context.em, purchaseId);
    },
  },
  OfferPurchase: {
    offer: (purchase, _args, context) => context.loaders.offerById.load(purchase.offerId),
    unitPrice: (purchase) => money(purchase.unitPriceCents, purchase.currency),
    total: (purchase) => money(purchase.totalCents, purchase.currency),
    refunded: (purchase) => money(purchase.refundedCents, purchase.currency),
    netTotal: (purchase) => money(purchase.totalCents - purchase.refundedCents, purchase.currency),
  },
};
