import type DataLoader from 'dataloader';
import { notFound } from '../../kernel/errors';
import type { MonetizationEventType } from '../../kernel/contracts/monetization-events';
import { money, type Money } from '../../kernel/money';
import type { EventRow } from '../../kernel/platform/access';
import type { FactTotals } from './facts-repository';
import { factTotalsKey } from './loaders';
import { parseDateRange, type DateRange } from './range';

export interface OfferPerformanceView {
  offerId: string;
  /** The latest title a fact carried, for exports; the API resolves the offer itself instead. */
  title: string | null;
  views: number;
  clicks: number;
  purchases: number;
  refunds: number;
  unitsSold: number;
  revenue: Money;
  conversionRate: number;
}

export interface AdPerformanceView {
  adId: string;
  /** The latest name a fact carried, for exports. */
  name: string | null;
  impressions: number;
  clicks: number;
  ctr: number;
}

export interface WaitlistMetricsView {
  joined: number;
  offersSent: number;
  accepted: number;
  declined: number;
  expired: number;
  acceptanceRate: number;
}

export interface FunnelView {
  offerViews: number;
  offerClicks: number;
  purchases: number;
  viewToClickRate: number;
  clickToPurchaseRate: number;
}

/** One event's monetization over a period, as the API and the exports present it. */
export interface MonetizationAnalyticsView {
  eventId: string;
  eventName: string;
  currency: string;
  range: DateRange;
  revenue: { total: Money; fromOffers: Money; refunded: Money };
  offerPerformance: OfferPerformanceView[];
  adPerformance: AdPerformanceView[];
  waitlist: WaitlistMetricsView;
  funnel: FunnelView;
}

/** A share that is 0, not NaN or Infinity, when nothing was there to divide by. */
export function rate(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

const sumOf = (rows: FactTotals[], type: MonetizationEventType, value: (row: FactTotals) => number = (row) => row.count) =>
  rows.filter((row) => row.type === type).reduce((total, row) => total + value(row), 0);

const amount = (row: FactTotals) => row.amountCents;
const units = (row: FactTotals) => row.units;

function groupBy(rows: FactTotals[], key: (row: FactTotals) => string | null): Map<string, FactTotals[]> {
  const groups = new Map<string, FactTotals[]>();
  for (const row of rows) {
    const id = key(row);
    if (id !== null) groups.set(id, [...(groups.get(id) ?? []), row]);
  }
  return groups;
}

/** The label of the group that was labelled last. */
function latest(rows: FactTotals[], pick: (row: FactTotals) => string | null): string | null {
  let found: { value: string; at: number } | null = null;
  for (const row of rows) {
    const value = pick(row);
    const at = row.labelledAt?.getTime() ?? 0;
    if (value !== null && (!found || at > found.at)) found = { value, at };
  }
  return found?.value ?? null;
}

function offerPerformance(rows: FactTotals[], currency: string): OfferPerformanceView[] {
  return [...groupBy(rows, (row) => row.offerId)]
    .map(([offerId, facts]) => {
      const views = sumOf(facts, 'OfferViewed');
      const purchases = sumOf(facts, 'PurchaseCompleted');
      return {
        offerId,
        title: latest(facts, (row) => row.offerTitle),
        views,
        clicks: sumOf(facts, 'OfferClicked'),
        purchases,
        refunds: sumOf(facts, 'PurchaseRefunded'),
        unitsSold: sumOf(facts, 'PurchaseCompleted', units) - sumOf(facts, 'PurchaseRefunded', units),
        revenue: money(sumOf(facts, 'PurchaseCompleted', amount) - sumOf(facts, 'PurchaseRefunded', amount), currency),
        conversionRate: rate(purchases, views),
      };
    })
    .sort(
      (a, b) =>
        b.revenue.amountCents - a.revenue.amountCents ||
        b.purchases - a.purchases ||
        b.views - a.views ||
        a.offerId.localeCompare(b.offerId),
    );
}

function adPerformance(rows: FactTotals[]): AdPerformanceView[] {
  return [...groupBy(rows, (row) => row.adId)]
    .map(([adId, facts]) => {
      const impressions = sumOf(facts, 'AdImpression');
      const clicks = sumOf(facts, 'AdClicked');
      return { adId, name: latest(facts, (row) => row.adName), impressions, clicks, ctr: rate(clicks, impressions) };
    })
    .sort((a, b) => b.impressions - a.impressions || b.clicks - a.clicks || a.adId.localeCompare(b.adId));
}

/**
 * Builds the analytics of one event from its grouped totals (see `loadFactTotals`):
 * revenue is purchases completed minus purchases refunded in the period, in the event's currency;
 * `fromOffers` counts the purchases of offers only, `total` every purchase. Rates are shares
 * between 0 and 1 (conversion may pass 1 when purchases were made without a recorded view).
 */
export function summarize(
  event: { id: string; name: string; currency: string },
  range: DateRange,
  rows: FactTotals[],
): MonetizationAnalyticsView {
  const { currency } = event;
  const ofOffers = rows.filter((row) => row.offerId !== null);
  const refunded = sumOf(rows, 'PurchaseRefunded', amount);
  const offerViews = sumOf(ofOffers, 'OfferViewed');
  const offerClicks = sumOf(ofOffers, 'OfferClicked');
  const purchases = sumOf(ofOffers, 'PurchaseCompleted');
  const offersSent = sumOf(rows, 'WaitlistOffered');
  const accepted = sumOf(rows, 'WaitlistAccepted');
  return {
    eventId: event.id,
    eventName: event.name,
    currency,
    range,
    revenue: {
      total: money(sumOf(rows, 'PurchaseCompleted', amount) - refunded, currency),
      fromOffers: money(
        sumOf(ofOffers, 'PurchaseCompleted', amount) - sumOf(ofOffers, 'PurchaseRefunded', amount),
        currency,
      ),
      refunded: money(refunded, currency),
    },
    offerPerformance: offerPerformance(ofOffers, currency),
    adPerformance: adPerformance(rows.filter((row) => row.adId !== null)),
    waitlist: {
      joined: sumOf(rows, 'WaitlistJoined'),
      offersSent,
      accepted,
      declined: sumOf(rows, 'WaitlistDeclined'),
      expired: sumOf(rows, 'WaitlistExpired'),
      acceptanceRate: rate(accepted, offersSent),
    },
    funnel: {
      offerViews,
      offerClicks,
      purchases,
      viewToClickRate: rate(offerClicks, offerViews),
      clickToPurchaseRate: rate(purchases, offerClicks),
    },
  };
}

/** What reading analytics needs from the request: the platform events and the grouped totals. */
export interface AnalyticsSources {
  events: DataLoader<string, EventRow | null>;
  factTotals: DataLoader<string, FactTotals[]>;
}

/**
 * The analytics of one event over `from`..`to` (checked by `parseDateRange`). Access is decided
 * before this is called (graphql-shield); the caller gets the numbers in the event's currency.
 */
export async function monetizationAnalytics(
  sources: AnalyticsSources,
  eventId: string,
  from: unknown,
  to: unknown,
): Promise<MonetizationAnalyticsView> {
  const range = parseDateRange(from, to);
  const event = await sources.events.load(eventId);
  if (!event) throw notFound('The event');
  return summarize(event, range, await sources.factTotals.load(factTotalsKey(eventId, range)));
}
