import type DataLoader from 'dataloader';
import { createLoader } from '../../kernel/loader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Offer } from './entities/offer';
import { isUuid } from '../../kernel/ids';

export interface OffersLoaders {
  offerById: DataLoader<string, Offer | null>;
  offersByEvent: DataLoader<string, Offer[]>;
}

/** Per-request loaders: one SQL statement per batch, results in the order of the keys. */
export function createOffersLoaders(em: EntityManager): OffersLoaders {
  return {
    offerById: createLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const offers = valid.length > 0 ? await em.find(Offer, { id: { $in: valid } }) : [];
      const byId = new Map(offers.map((offer) => [offer.id, offer]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    offersByEvent: createLoader(async (eventIds) => {
      const offers = await em.find(Offer, { eventId: { $in: [...eventIds] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      const byEvent = new Map<string, Offer[]>();
      for (const offer of offers) byEvent.set(offer.eventId, [...(byEvent.get(offer.eventId) ?? []), offer]);
      return eventIds.map((id) => byEvent.get(id) ?? []);
    }),
  };
}
