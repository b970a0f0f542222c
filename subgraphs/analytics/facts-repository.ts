import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../kernel/db/sql';
import { MONETIZATION_EVENT_TYPES, type MonetizationEventType } from '../../kernel/contracts/monetization-events';
import type { DateRange } from './range';

/** Facts of one type about one offer, one ad, or neither, within a period, counted and summed. */
export interface FactTotals {
  eventId: string;
  type: MonetizationEventType;
  offerId: string | null;
  adId: string | null;
  /** How many facts. */
  count: number;
  /** Units: each fact's quantity, 1 when it carries none (purchases and refunds). */
  units: number;
  /** Amounts in the event's currency, or without a currency; other currencies cannot be added. */
  amountCents: number;
  /** The latest offer title or ad name a fact of the group carried. */
  offerTitle: string | null;
  adName: string | null;
  /** When the group's latest label was published, to pick the newest across groups. */
  labelledAt: Date | null;
}

/**
 * One statement for any number of events, offers and ads: every condition on the
 * `(event_id, event_type, created_at)` index, the grouping and the sums in PostgreSQL, so that a
 * request reads a few rows per offer and ad, never the facts themselves.
 */
export const FACT_TOTALS_SQL = `
  select m.event_id, m.event_type, m.offer_id::text as offer_id, m.ad_id::text as ad_id,
         count(*)::int as count,
         coalesce(sum(coalesce(m.quantity, 1)), 0)::bigint as units,
         coalesce(sum(m.amount_cents) filter (where m.currency is null or m.currency = e.currency), 0)::bigint
           as amount_cents,
         (array_agg(m.offer_title order by m.created_at desc) filter (where m.offer_title is not null))[1]
           as offer_title,
         (array_agg(m.ad_name order by m.created_at desc) filter (where m.ad_name is not null))[1] as ad_name,
         max(m.created_at) filter (where m.offer_title is not null or m.ad_name is not null) as labelled_at
    from monetization_events m
    join platform_events e on e.id = m.event_id
   where m.event_id = any(?::text[])
     and m.event_type = any(?::text[])
     and m.created_at >= ?::timestamptz
     and m.created_at < ?::timestamptz
   group by m.event_id, m.event_type, m.offer_id, m.ad_id`;

/** The bindings of {@link FACT_TOTALS_SQL}, in order. */
export function factTotalsParams(eventIds: readonly string[], range: DateRange): unknown[] {
  return [pgArray(eventIds), pgArray(MONETIZATION_EVENT_TYPES), range.start.toISOString(), range.end.toISOString()];
}

/** Totals of every event's facts in the period, grouped by type, offer and ad. */
export async function loadFactTotals(em: EntityManager, eventIds: readonly string[], range: DateRange): Promise<FactTotals[]> {
  const rows = await em.execute<Record<string, unknown>[]>(FACT_TOTALS_SQL, factTotalsParams(eventIds, range));
  return rows.map((row) => ({
    eventId: row.event_id as string,
    type: row.event_type as MonetizationEventType,
    offerId: (row.offer_id as string | null) ?? null,
    adId: (row.ad_id as string | null) ?? null,
    count: Number(row.count),
    units: Number(row.units),
    amountCents: Number(row.amount_cents),
    offerTitle: (row.offer_title as string | null) ?? null,
    adName: (row.ad_name as string | null) ?? null,
    labelledAt: row.labelled_at ? new Date(row.labelled_at as string) : null,
  }));
}
