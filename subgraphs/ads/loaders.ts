import type DataLoader from 'dataloader';
import { createLoader } from '../../kernel/loader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../../kernel/ids';
import { Ad } from './entities/ad';

export interface AdsLoaders {
  adById: DataLoader<string, Ad | null>;
  adsByEvent: DataLoader<string, Ad[]>;
}

/** Per-request loaders: one SQL statement per batch, results in the order of the keys. */
export function createAdsLoaders(em: EntityManager): AdsLoaders {
  return {
    adById: createLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const ads = valid.length > 0 ? await em.find(Ad, { id: { $in: valid } }) : [];
      const byId = new Map(ads.map((ad) => [ad.id, ad]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    adsByEvent: createLoader(async (eventIds) => {
      const ads = await em.find(Ad, { eventId: { $in: [...eventIds] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      const byEvent = new Map<string, Ad[]>();
      for (const ad of ads) byEvent.set(ad.eventId, [...(byEvent.get(ad.eventId) ?? []), ad]);
      return eventIds.map((id) => byEvent.get(id) ?? []);
    }),
  };
}
