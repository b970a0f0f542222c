import type { EntityManager } from '@mikro-orm/postgresql';
import type { MonetizationFact } from './fact';

/**
 * Inserts the fact by envelope id and, only when that insert stored a row, adds it to its rollup
 * (`monetization_rollups`, see the migration that made it). One statement, so one transaction: a
 * redelivered or replayed message hits the primary key, the `fact` CTE returns nothing and the
 * rollup is left alone, and a crash cannot leave a fact stored without its rollup or the reverse.
 * Concurrent deliveries of the same id wait on the key; the loser inserts nothing.
 */
const STORE_FACT_SQL = `
  with fact as (
    insert into monetization_events
      (id, event_id, event_type, offer_id, ad_id, session_id, user_id, quantity, amount_cents, currency,
       offer_title, ad_name, created_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    on conflict (id) do nothing
    returning *
  ), rolled as (
    insert into monetization_rollups as r
      (event_id, event_type, day, offer_id, ad_id, currency, count, units, amount_cents,
       offer_title, offer_title_at, ad_name, ad_name_at)
    select event_id, event_type, (created_at at time zone 'UTC')::date, offer_id, ad_id, currency,
           1, coalesce(quantity, 1), coalesce(amount_cents, 0),
           offer_title, case when offer_title is not null then created_at end,
           ad_name, case when ad_name is not null then created_at end
      from fact
    on conflict on constraint monetization_rollups_key do update set
      count = r.count + excluded.count,
      units = r.units + excluded.units,
      amount_cents = r.amount_cents + excluded.amount_cents,
      -- Messages arrive in any order: the label published last wins, not the one ingested last.
      offer_title = case when excluded.offer_title_at >= coalesce(r.offer_title_at, '-infinity')
                         then excluded.offer_title else r.offer_title end,
      offer_title_at = greatest(r.offer_title_at, excluded.offer_title_at),
      ad_name = case when excluded.ad_name_at >= coalesce(r.ad_name_at, '-infinity')
                     then excluded.ad_name else r.ad_name end,
      ad_name_at = greatest(r.ad_name_at, excluded.ad_name_at)
    returning 1
  )
  select id from fact`;

/**
 * Stores one fact, once per envelope id, with its rollup (see {@link STORE_FACT_SQL}). Returns
 * whether this call stored it.
 */
export async function storeFact(em: EntityManager, fact: MonetizationFact): Promise<boolean> {
  const inserted = await em.execute<{ id: string }[]>(STORE_FACT_SQL, [
    fact.id,
    fact.eventId,
    fact.type,
    fact.offerId,
    fact.adId,
    fact.sessionId,
    fact.userId,
    fact.quantity,
    fact.amountCents,
    fact.currency,
    fact.offerTitle,
    fact.adName,
    fact.occurredAt.toISOString(),
  ]);
  return inserted.length > 0;
}
