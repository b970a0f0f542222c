import type DataLoader from 'dataloader';
import { createByIdLoader, createLoader } from '../../kernel/loader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../kernel/db/sql';
import { plainRowsByEvent } from '../../kernel/db/plain-rows';
import { isUuid } from '../../kernel/ids';
import { Ad } from './entities/ad';

/** What an ad's audience did with it. */
export interface AdPerformance {
  impressions: number;
  clicks: number;
  ctr: number;
}

export interface AdsLoaders {
  adById: DataLoader<string, Ad | null>;
  adsByEvent: DataLoader<string, Ad[]>;
  performanceByAd: DataLoader<string, AdPerformance>;
}

/** Per-request loaders: one SQL statement per batch, results in the order of the keys. */
export function createAdsLoaders(em: EntityManager): AdsLoaders {
  return {
    adById: createByIdLoader(em, Ad),
    // Read only (an event's ads on the dashboard): plain rows, no hydration.
    adsByEvent: createLoader((eventIds) => plainRowsByEvent(em, Ad, eventIds)),
    performanceByAd: createLoader(async (adIds) => {
      const valid = adIds.filter(isUuid);
      const rows =
        valid.length > 0
          ? await em.execute<{ ad_id: string; event_type: string; count: string }[]>(
              `select ad_id, event_type, count(*) as count from ad_events
                where ad_id = any(?::uuid[]) group by ad_id, event_type`,
              [pgArray(valid)],
            )
          : [];
      const counts = new Map<string, { impressions: number; clicks: number }>();
      for (const row of rows) {
        const entry = counts.get(row.ad_id) ?? { impressions: 0, clicks: 0 };
        if (row.event_type === 'IMPRESSION') entry.impressions = Number(row.count);
        if (row.event_type === 'CLICK') entry.clicks = Number(row.count);
        counts.set(row.ad_id, entry);
      }
      return adIds.map((id) => {
        const { impressions, clicks } = counts.get(id) ?? { impressions: 0, clicks: 0 };
        return { impressions, clicks, ctr: impressions > 0 ? clicks / impressions : 0 };
      });
    }),
  };
}
