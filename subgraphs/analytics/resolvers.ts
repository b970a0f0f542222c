import { formatMoney } from '../../kernel/money';
import { MinorUnitsScalar } from '../../kernel/scalars';
import { monetizationAnalytics } from './analytics-service';
import type { AnalyticsContext } from './context';
import { DateArgumentScalar } from './date-argument';
import type { Resolvers } from './generated/resolvers-types';
import { exportReport } from './report/export-service';

const sources = (context: AnalyticsContext) => ({
  events: context.access.events,
  factTotals: context.loaders.factTotals,
});

export const resolvers: Resolvers = {
  Date: DateArgumentScalar,
  MinorUnits: MinorUnitsScalar,
  Query: {
    monetizationAnalytics: (_parent, { eventId, from, to }, context) =>
      monetizationAnalytics(sources(context), eventId, from, to),
  },
  Mutation: {
    exportMonetizationReport: async (_parent, { eventId, from, to, format }, context) =>
      exportReport(await monetizationAnalytics(sources(context), eventId, from, to), format),
  },
  Event: {
    __resolveReference: async (reference, context) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
    monetizationAnalytics: ({ id }, { from, to }, context) => monetizationAnalytics(sources(context), id, from, to),
  },
  MonetizationAnalytics: {
    from: (view) => view.range.from,
    to: (view) => view.range.to,
  },
  OfferPerformance: {
    offer: (row) => ({ id: row.offerId }),
  },
  AdPerformance: {
    ad: (row) => ({ id: row.adId }),
  },
  MonetizationReport: {
    base64: (file) => file.bytes.toString('base64'),
    byteLength: (file) => file.bytes.length,
  },
  Money: {
    formatted: (value) => formatMoney(value),
  },
};
