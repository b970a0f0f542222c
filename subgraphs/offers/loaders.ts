import type DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createByIdLoader, createLoader, groupByKeys } from '../../kernel/loader';
import { plainRowsByEvent } from '../../kernel/db/plain-rows';
import { isUuid } from '../../kernel/ids';
import { Offer } from './entities/offer';
import { OfferPurchase } from './entities/offer-purchase';

export interface OffersLoaders {
  offerById: DataLoader<string, Offer | null>;
  offersByEvent: DataLoader<string, Offer[]>;
  purchaseById: DataLoader<string, OfferPurchase | null>;
  /** Every purchase of each offer, newest first. */
  purchasesByOffer: DataLoader<string, OfferPurchase[]>;
}

/** Per-request loaders: one SQL statement per batch, results in the order of the keys. */
export function createOffersLoaders(em: EntityManager): OffersLoaders {
  return {
    offerById: createByIdLoader(em, Offer),
    // Read only (an event's catalog on the dashboard and the shop): plain rows, no hydration.
    offersByEvent: createLoader((eventIds) => plainRowsByEvent(em, Offer, eventIds)),
    purchaseById: createByIdLoader(em, OfferPurchase),
    purchasesByOffer: createLoader(async (offerIds) => {
      const valid = offerIds.filter(isUuid);
      const purchases =
        valid.length > 0
          ? await em.find(OfferPurchase, { offerId: { $in: valid } }, { orderBy: { createdAt: 'desc', id: 'desc' } })
          : [];
      return groupByKeys(offerIds, purchases, (purchase) => purchase.offerId);
    }),
  };
}
