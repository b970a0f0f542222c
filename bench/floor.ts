import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { formatMoney, money } from '../kernel/money';
import { summarize } from '../subgraphs/analytics/analytics-service';
import { FACT_TOTALS_SQL, factTotalsParams, type FactTotals } from '../subgraphs/analytics/facts-repository';
import { parseDateRange } from '../subgraphs/analytics/range';

/**
 * The "floor" of the dashboard: the same JSON answer as `EventMonetization` through the gateway, from
 * the least work that can produce it: the statements the answer needs (the event with the caller's
 * access to it, its offers, its ads, the analytics totals: the same grouped statement analytics
 * runs) through plain `pg`, the numbers shaped by the same pure functions, and `JSON.stringify`.
 * No GraphQL, no ORM, no JWT or gateway identity: the caller is taken as given (u-owner). It runs in
 * the runner's process, like our subgraphs, so its CPU per request is read the same way.
 */
export interface FloorServer {
  url: string;
  /** SQL statements sent so far, and their time (send to response) in ms. */
  statements(): number;
  sqlMs(): number;
  close(): Promise<void>;
}

const EVENT_SQL = `
  select e.id, e.name, e.currency,
         e.owner_id = $2
           or exists (select 1 from platform_organization_members m where m.organization_id = e.organization_id and m.user_id = $2)
           as organizer
    from platform_events e where e.id = $1`;
const OFFERS_SQL = `
  select id, title, type, is_active, starts_at, expires_at, price_cents, original_price_cents, currency,
         inventory_total, sold, reserved
    from offers where event_id = $1 order by created_at, id`;
const ADS_SQL = `
  select id, name, media_url, click_url, is_active, starts_at, ends_at, placements, target_sessions, frequency_cap, aspect_ratio
    from ads where event_id = $1 order by created_at, id`;
/** Knex's `?` placeholders as pg's `$n`. */
const TOTALS_SQL = (() => {
  let n = 0;
  return FACT_TOTALS_SQL.replace(/\?/g, () => `$${++n}`);
})();

const moneyOf = (amountCents: number, currency: string) => ({ amountCents, currency, formatted: formatMoney(money(amountCents, currency)) });
const iso = (value: Date | null) => (value === null ? null : value.toISOString());

interface OfferRow {
  id: string;
  title: string;
  type: string;
  is_active: boolean;
  starts_at: Date | null;
  expires_at: Date | null;
  price_cents: string;
  original_price_cents: string | null;
  currency: string;
  inventory_total: number | null;
  sold: number;
  reserved: number;
}

type Query = <R extends Record<string, any> = Record<string, any>>(sql: string, params: unknown[]) => Promise<{ rows: R[] }>;

async function answer(query: Query, body: string, userId: string): Promise<string> {
  const { variables } = JSON.parse(body) as { variables: { eventId: string; from: string; to: string } };
  const range = parseDateRange(variables.from, variables.to);
  const { rows: events } = await query(EVENT_SQL, [variables.eventId, userId]);
  const event = events[0] as { id: string; name: string; currency: string; organizer: boolean } | undefined;
  if (!event?.organizer) return JSON.stringify({ data: { event: null } });
  const [offers, ads, totals] = await Promise.all([
    query<OfferRow>(OFFERS_SQL, [event.id]),
    query(ADS_SQL, [event.id]),
    query(TOTALS_SQL, factTotalsParams([event.id], range)),
  ]);
  const offerById = new Map(offers.rows.map((offer) => [offer.id, offer]));
  const view = summarize(
    event,
    range,
    totals.rows.map(
      (row): FactTotals => ({
        eventId: row.event_id,
        type: row.event_type,
        offerId: row.offer_id,
        adId: row.ad_id,
        count: Number(row.count),
        units: Number(row.units),
        amountCents: Number(row.amount_cents),
        offerTitle: row.offer_title,
        adName: row.ad_name,
        labelledAt: row.labelled_at,
      }),
    ),
  );
  const adById = new Map(ads.rows.map((ad) => [ad.id as string, ad]));
  return JSON.stringify({
    data: {
      event: {
        id: event.id,
        offers: offers.rows.map((offer) => ({
          id: offer.id,
          title: offer.title,
          type: offer.type,
          isActive: offer.is_active,
          startsAt: iso(offer.starts_at),
          expiresAt: iso(offer.expires_at),
          price: moneyOf(Number(offer.price_cents), offer.currency),
          originalPrice: offer.original_price_cents === null ? null : moneyOf(Number(offer.original_price_cents), offer.currency),
          inventory: {
            total: offer.inventory_total,
            sold: offer.sold,
            reserved: offer.reserved,
            available: offer.inventory_total === null ? null : Math.max(0, offer.inventory_total - offer.sold - offer.reserved),
          },
        })),
        ads: ads.rows.map((ad) => ({
          id: ad.id,
          name: ad.name,
          mediaUrl: ad.media_url,
          clickUrl: ad.click_url,
          isActive: ad.is_active,
          startsAt: iso(ad.starts_at),
          endsAt: iso(ad.ends_at),
          placements: ad.placements,
          targetSessions: ad.target_sessions,
          frequencyCap: ad.frequency_cap,
          aspectRatio: ad.aspect_ratio,
        })),
        monetizationAnalytics: {
          revenue: {
            total: moneyOf(view.revenue.total.amountCents, view.currency),
            fromOffers: moneyOf(view.revenue.fromOffers.amountCents, view.currency),
          },
          offerPerformance: view.offerPerformance.map((row) => {
            const offer = offerById.get(row.offerId);
            return {
              offer: offer ? { id: offer.id, title: offer.title, price: { formatted: formatMoney(money(Number(offer.price_cents), offer.currency)) } } : null,
              views: row.views,
              purchases: row.purchases,
              unitsSold: row.unitsSold,
              revenue: { amountCents: row.revenue.amountCents, formatted: formatMoney(row.revenue) },
              conversionRate: row.conversionRate,
            };
          }),
          adPerformance: view.adPerformance.map((row) => {
            const ad = adById.get(row.adId);
            return { ad: ad ? { id: ad.id, name: ad.name } : null, impressions: row.impressions, clicks: row.clicks, ctr: row.ctr };
          }),
          waitlist: view.waitlist,
          funnel: { offerViews: view.funnel.offerViews, offerClicks: view.funnel.offerClicks, purchases: view.funnel.purchases },
        },
      },
    },
  });
}

/** Starts the floor on a loopback port, with a pool as large as the subgraphs'. */
export async function startFloorServer(databaseUrl: string, poolMax: number, userId: string): Promise<FloorServer> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolMax });
  let statements = 0;
  let sqlMs = 0;
  const query: Query = async (sql, params) => {
    statements += 1;
    const started = performance.now();
    try {
      return await pool.query(sql, params);
    } finally {
      sqlMs += performance.now() - started;
    }
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      answer(query, Buffer.concat(chunks).toString('utf8'), userId).then(
        (json) => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(json);
        },
        (error: Error) => {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ errors: [{ message: error.message }] }));
        },
      );
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    statements: () => statements,
    sqlMs: () => sqlMs,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
