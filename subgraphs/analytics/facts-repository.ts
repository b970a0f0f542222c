import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../kernel/db/sql';
import { MONETIZATION_EVENT_TYPES, type MonetizationEventType } from '../../kernel/contracts/monetization-events';
import type { DateRange } from './range';
import { readRows } from '../../kernel/db/read-rows';

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

const DAY_MS = 86_400_000;

/** The whole UTC days inside a period, and the instants before and after them (report periods in a time zone). */
export interface PeriodSplit {
  /** First and first-excluded UTC day of the whole days, `YYYY-MM-DD`; equal when there are none. */
  firstDay: string;
  endDay: string;
  /** The parts of the period outside those days, as `[start, end)` instants; empty when they coincide. */
  head: [Date, Date];
  tail: [Date, Date];
}

const isoDay = (at: Date) => at.toISOString().slice(0, 10);

/** Splits `[start, end)` into whole UTC days (read from rollups) and the partial days at its ends. */
export function splitPeriod(range: Pick<DateRange, 'start' | 'end'>): PeriodSplit {
  const first = new Date(Math.ceil(range.start.getTime() / DAY_MS) * DAY_MS);
  const last = new Date(Math.floor(range.end.getTime() / DAY_MS) * DAY_MS);
  if (first >= last) return { firstDay: isoDay(first), endDay: isoDay(first), head: [range.start, range.end], tail: [range.end, range.end] };
  return { firstDay: isoDay(first), endDay: isoDay(last), head: [range.start, first], tail: [last, range.end] };
}

/** The grouping and sums shared by the rollup read and the raw recount, over a relation `p` of partial totals. */
const TOTALS_SELECT = `
  select p.event_id, p.event_type, p.offer_id::text as offer_id, p.ad_id::text as ad_id,
         sum(p.count)::bigint as count,
         coalesce(sum(p.units), 0)::bigint as units,
         coalesce(sum(p.amount_cents) filter (where p.currency is null or p.currency = e.currency), 0)::bigint
           as amount_cents,
         (array_agg(p.offer_title order by p.offer_title_at desc) filter (where p.offer_title is not null))[1]
           as offer_title,
         (array_agg(p.ad_name order by p.ad_name_at desc) filter (where p.ad_name is not null))[1] as ad_name,
         greatest(max(p.offer_title_at), max(p.ad_name_at)) as labelled_at
    from parts p
    join platform_events e on e.id = p.event_id
   group by p.event_id, p.event_type, p.offer_id, p.ad_id`;

/** Raw facts as partial totals of one fact each. */
const RAW_PARTS = `
  select m.event_id, m.event_type, m.offer_id, m.ad_id, m.currency, 1 as count, coalesce(m.quantity, 1) as units,
         m.amount_cents, m.offer_title, case when m.offer_title is not null then m.created_at end as offer_title_at,
         m.ad_name, case when m.ad_name is not null then m.created_at end as ad_name_at
    from monetization_events m
   where m.event_id = any(?::text[]) and m.event_type = any(?::text[])`;

/**
 * One statement for any number of events, offers and ads. The whole UTC days of the period come
 * from `monetization_rollups` (a few rows per offer, ad, type and day, whatever the history); only a
 * period that does not start and end at UTC midnight (a scheduled report in a time zone) reads the
 * raw facts of its partial first and last days, on the `(event_id, event_type, created_at)` index.
 * For the API's periods of whole UTC days both raw ranges are empty.
 */
export const FACT_TOTALS_SQL = `
  with parts as (
    select r.event_id, r.event_type, r.offer_id, r.ad_id, r.currency, r.count, r.units, r.amount_cents,
           r.offer_title, r.offer_title_at, r.ad_name, r.ad_name_at
      from monetization_rollups r
     where r.event_id = any(?::text[]) and r.event_type = any(?::text[])
       and r.day >= ?::date and r.day < ?::date
    union all
    ${RAW_PARTS}
       and ((m.created_at >= ?::timestamptz and m.created_at < ?::timestamptz)
         or (m.created_at >= ?::timestamptz and m.created_at < ?::timestamptz))
  )
  ${TOTALS_SELECT}`;

/** The bindings of {@link FACT_TOTALS_SQL}, in order. */
export function factTotalsParams(eventIds: readonly string[], range: Pick<DateRange, 'start' | 'end'>): unknown[] {
  const split = splitPeriod(range);
  const ids = pgArray(eventIds);
  const types = pgArray(MONETIZATION_EVENT_TYPES);
  return [
    ids, types, split.firstDay, split.endDay,
    ids, types, split.head[0].toISOString(), split.head[1].toISOString(), split.tail[0].toISOString(), split.tail[1].toISOString(),
  ];
}

/**
 * The same totals recounted from the raw facts alone: for audits (and the tests that prove the
 * rollups equal it). Its cost grows with the period's facts, so no request path uses it.
 */
export const RECOUNT_FACT_TOTALS_SQL = `
  with parts as (
    ${RAW_PARTS}
       and m.created_at >= ?::timestamptz and m.created_at < ?::timestamptz
  )
  ${TOTALS_SELECT}`;

const toTotals = (row: Record<string, unknown>): FactTotals => ({
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
});

/** Totals of every event's facts in the period, grouped by type, offer and ad. */
export async function loadFactTotals(
  em: EntityManager,
  eventIds: readonly string[],
  range: Pick<DateRange, 'start' | 'end'>,
): Promise<FactTotals[]> {
  const rows = await readRows<Record<string, unknown>>(em, FACT_TOTALS_SQL, factTotalsParams(eventIds, range));
  return rows.map(toTotals);
}

/** Totals of every event's facts in the period recounted from the raw facts (see {@link RECOUNT_FACT_TOTALS_SQL}). */
export async function recountFactTotals(
  em: EntityManager,
  eventIds: readonly string[],
  range: Pick<DateRange, 'start' | 'end'>,
): Promise<FactTotals[]> {
  const rows = await em.execute<Record<string, unknown>[]>(RECOUNT_FACT_TOTALS_SQL, [
    pgArray(eventIds),
    pgArray(MONETIZATION_EVENT_TYPES),
    range.start.toISOString(),
    range.end.toISOString(),
  ]);
  return rows.map(toTotals);
}
