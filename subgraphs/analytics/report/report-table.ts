import { toMajorUnits } from '../../../kernel/money';
import type { MonetizationAnalyticsView } from '../analytics-service';

/** How a column's values are written: text as given, counts as integers, money from cents, rates as shares. */
export type ColumnKind = 'text' | 'count' | 'money' | 'rate';

export interface ReportColumn {
  header: string;
  kind: ColumnKind;
}

/** A cell: text for `text` columns, numbers otherwise (cents for `money`), null when empty. */
export type ReportCell = string | number | null;

/** One section of a report: a CSV block or an XLSX sheet. */
export interface ReportSection {
  name: 'Revenue' | 'Offers' | 'Ads' | 'Waitlist' | 'Funnel';
  columns: ReportColumn[];
  rows: ReportCell[][];
}

export interface ReportTables {
  title: string;
  currency: string;
  sections: ReportSection[];
}

const text = (header: string): ReportColumn => ({ header, kind: 'text' });
const count = (header: string): ReportColumn => ({ header, kind: 'count' });
const moneyColumn = (header: string): ReportColumn => ({ header, kind: 'money' });
const rateColumn = (header: string): ReportColumn => ({ header, kind: 'rate' });

/**
 * The report's five sections, the same for CSV and XLSX. Offers and ads are named by the latest
 * title or name their facts carried (analytics cannot ask the offers or ads subgraphs while it
 * writes a file), and by id when none did; the id column is always there.
 */
export function reportTables(view: MonetizationAnalyticsView): ReportTables {
  const { revenue, waitlist, funnel } = view;
  return {
    title: `Monetization of ${view.eventName}, ${view.range.from} to ${view.range.to}`,
    currency: view.currency,
    sections: [
      {
        name: 'Revenue',
        columns: [text('Metric'), moneyColumn('Amount'), text('Currency')],
        rows: [
          ['Total revenue (net of refunds)', revenue.total.amountCents, view.currency],
          ['Revenue from offers (net of refunds)', revenue.fromOffers.amountCents, view.currency],
          ['Refunded', revenue.refunded.amountCents, view.currency],
        ],
      },
      {
        name: 'Offers',
        columns: [
          text('Offer ID'),
          text('Offer'),
          count('Views'),
          count('Clicks'),
          count('Purchases'),
          count('Refunds'),
          count('Units sold'),
          moneyColumn('Revenue'),
          rateColumn('Conversion rate'),
        ],
        rows: view.offerPerformance.map((offer) => [
          offer.offerId,
          offer.title ?? offer.offerId,
          offer.views,
          offer.clicks,
          offer.purchases,
          offer.refunds,
          offer.unitsSold,
          offer.revenue.amountCents,
          offer.conversionRate,
        ]),
      },
      {
        name: 'Ads',
        columns: [text('Ad ID'), text('Ad'), count('Impressions'), count('Clicks'), rateColumn('Click-through rate')],
        rows: view.adPerformance.map((ad) => [ad.adId, ad.name ?? ad.adId, ad.impressions, ad.clicks, ad.ctr]),
      },
      {
        name: 'Waitlist',
        columns: [
          count('Joined'),
          count('Offers sent'),
          count('Accepted'),
          count('Declined'),
          count('Expired'),
          rateColumn('Acceptance rate'),
        ],
        rows: [
          [waitlist.joined, waitlist.offersSent, waitlist.accepted, waitlist.declined, waitlist.expired, waitlist.acceptanceRate],
        ],
      },
      {
        name: 'Funnel',
        columns: [text('Stage'), count('Count'), rateColumn('Rate from previous stage')],
        rows: [
          ['Offer views', funnel.offerViews, null],
          ['Offer clicks', funnel.offerClicks, funnel.viewToClickRate],
          ['Purchases', funnel.purchases, funnel.clickToPurchaseRate],
        ],
      },
    ],
  };
}

/** Minor units as a decimal amount of the currency's main unit (1250 USD → 12.5, 1500 JPY → 1500, 1500 KWD → 1.5). */
export const centsToAmount = (cents: number, currency: string) => toMajorUnits({ amountCents: cents, currency });
