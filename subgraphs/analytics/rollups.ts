import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../kernel/db/sql';

/**
 * Rebuilds the rollups of some events from their raw facts, in one transaction: for facts loaded in
 * bulk without going through ingestion (imports, benchmarks), or to repair rollups after an audit
 * found them different from a recount. Ingestion keeps them up to date on its own.
 */
export async function rebuildRollups(em: EntityManager, eventIds: readonly string[]): Promise<void> {
  await em.transactional(async (tx) => {
    await tx.execute(`delete from monetization_rollups where event_id = any(?::text[])`, [pgArray(eventIds)]);
    await tx.execute(
      `insert into monetization_rollups
          (event_id, event_type, day, offer_id, ad_id, currency, count, units, amount_cents,
           offer_title, offer_title_at, ad_name, ad_name_at)
        select event_id, event_type, (created_at at time zone 'UTC')::date, offer_id, ad_id, currency,
               count(*), sum(coalesce(quantity, 1)), coalesce(sum(amount_cents), 0),
               (array_agg(offer_title order by created_at desc) filter (where offer_title is not null))[1],
               max(created_at) filter (where offer_title is not null),
               (array_agg(ad_name order by created_at desc) filter (where ad_name is not null))[1],
               max(created_at) filter (where ad_name is not null)
          from monetization_events
         where event_id = any(?::text[])
         group by event_id, event_type, (created_at at time zone 'UTC')::date, offer_id, ad_id, currency`,
      [pgArray(eventIds)],
    );
  });
}
