import type DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createByIdLoader, createLoader } from '../../kernel/loader';
import { pgArray } from '../../kernel/db/sql';
import { plainRows } from '../../kernel/db/plain-rows';
import { isUuid } from '../../kernel/ids';
import { Offer } from './entities/offer';
import { OfferPurchase } from './entities/offer-purchase';
import { readRows } from '../../kernel/db/read-rows';

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
    offersByEvent: createLoader(async (eventIds) => {
      const rows = plainRows(em, Offer);
      const offers = await readRows<Record<string, unknown>>(em, 
        `select ${rows.columns} from ${rows.table} where event_id = any(?::text[]) order by created_at asc, id asc`,
        [pgArray(eventIds)],
      );
      return groupBy(eventIds, offers.map(rows.map), (offer) => offer.eventId);
    }),
    purchaseById: createByIdLoader(em, OfferPurchase),
    purchasesByOffer: createLoader(async (offerIds) => {
      const valid = offerIds.filter(isUuid);
      const purchases =
        valid.length > 0
          ? await em.find(OfferPurchase, { offerId: { $in: valid } }, { orderBy: { createdAt: 'desc', id: 'desc' } })
          : [];
      return groupBy(offerIds, purchases, (purchase) => purchase.offerId);
    }),
  };
}

function groupBy<T>(keys: readonly string[], items: T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}
