import { addCatalog } from '../support/catalog';
import { graphql } from '../support/graphql';
import { contractOperation, ingest, monetizationEnvelope } from '../support/analytics';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';
import type { MonetizationEventData, MonetizationEventType } from '../../kernel/contracts/monetization-events';

const EventMonetization = contractOperation('dashboard-event.graphql', 'EventMonetization');
const MonetizationAnalytics = contractOperation('analytics.graphql', 'MonetizationAnalytics');

const march = (day: number, time = '12:00:00') => new Date(`2026-03-${String(day).padStart(2, '0')}T${time}Z`);

describe('monetization analytics numbers, through the gateway', () => {
  let stack: TestStack;
  let token: string;
  let offers: { id: string; title: string }[];
  let ads: { id: string; name: string }[];

  const fact = (type: MonetizationEventType, data: Partial<MonetizationEventData> = {}, at = march(10)) =>
    monetizationEnvelope(type, { eventId: 'ev-private', ...data }, at);
  const times = (count: number, make: () => ReturnType<typeof fact>) => Array.from({ length: count }, make);

  beforeAll(async () => {
    stack = await startStack();
    token = await tokenFor('u-owner');
    await addCatalog(stack.runtime.orm, 'ev-private', 3);
    const em = stack.runtime.orm.em.fork();
    offers = await em.execute(`select id, title from offers where event_id = 'ev-private' order by created_at`);
    ads = await em.execute(`select id, name from ads where event_id = 'ev-private' order by created_at`);
    const [a, b] = offers;
    const [x, y] = ads;
    await ingest(stack.runtime.orm, [
      // Offer A: 4 views, 2 clicks, 2 purchases (1 + 3 units), one refund of 1 unit.
      ...times(4, () => fact('OfferViewed', { offerId: a.id })),
      ...times(2, () => fact('OfferClicked', { offerId: a.id })),
      fact('PurchaseCompleted', { offerId: a.id, quantity: 1, amountCents: 1000, currency: 'USD' }),
      fact('PurchaseCompleted', { offerId: a.id, quantity: 3, amountCents: 3000, currency: 'USD' }),
      fact('PurchaseRefunded', { offerId: a.id, quantity: 1, amountCents: 1000, currency: 'USD' }),
      // Offer B: viewed twice, bought once in a currency the event does not use (counted, not summed).
      ...times(2, () => fact('OfferViewed', { offerId: b.id })),
      fact('PurchaseCompleted', { offerId: b.id, quantity: 1, amountCents: 99_999, currency: 'EUR' }),
      // A purchase outside any offer counts in the total only.
      fact('PurchaseCompleted', { amountCents: 500, currency: 'USD' }),
      // Ad X: 10 impressions, 3 clicks; ad Y: a click without any impression (CTR 0, not Infinity).
      ...times(10, () => fact('AdImpression', { adId: x.id })),
      ...times(3, () => fact('AdClicked', { adId: x.id })),
      fact('AdClicked', { adId: y.id }),
      // Waitlist: 3 joined, 2 offers, 1 accepted, 1 declined, 1 expired.
      ...times(3, () => fact('WaitlistJoined', { sessionId: 's-keynote', userId: 'u-guest' })),
      ...times(2, () => fact('WaitlistOffered', { sessionId: 's-keynote' })),
      fact('WaitlistAccepted', { sessionId: 's-keynote' }),
      fact('WaitlistDeclined', { sessionId: 's-keynote' }),
      fact('WaitlistExpired', { sessionId: 's-keynote' }),
      // Outside March: before the first instant and at the first instant after the last day.
      fact('PurchaseCompleted', { offerId: a.id, amountCents: 7, currency: 'USD' }, new Date('2026-02-28T23:59:59.999Z')),
      fact('PurchaseCompleted', { offerId: a.id, amountCents: 7, currency: 'USD' }, new Date('2026-04-01T00:00:00.000Z')),
      // The edges of March, inside.
      fact('OfferViewed', { offerId: b.id }, new Date('2026-03-01T00:00:00.000Z')),
      fact('OfferViewed', { offerId: b.id }, new Date('2026-03-31T23:59:59.999Z')),
    ]);
  });
  afterAll(() => stack.close());

  it("gives the dashboard query every number of the period, with offers and ads resolved by their subgraphs", async () => {
    const response = await graphql(stack.gatewayUrl, EventMonetization, {
      variables: { eventId: 'ev-private', from: '2026-03-01', to: '2026-03-31' },
      token,
    });
    expect(response.errors).toBeUndefined();
    const { event } = response.data;
    expect(event.offers).toHaveLength(3);
    expect(event.monetizationAnalytics).toEqual({
      revenue: {
        total: { amountCents: 3500, currency: 'USD', formatted: '$35.00' },
        fromOffers: { amountCents: 3000, currency: 'USD', formatted: '$30.00' },
      },
      offerPerformance: [
        {
          offer: { id: offers[0].id, title: offers[0].title, price: { formatted: '$10.00' } },
          views: 4,
          purchases: 2,
          unitsSold: 3,
          revenue: { amountCents: 3000, formatted: '$30.00' },
          conversionRate: 0.5,
        },
        {
          offer: { id: offers[1].id, title: offers[1].title, price: { formatted: '$10.01' } },
          views: 4,
          purchases: 1,
          unitsSold: 1,
          revenue: { amountCents: 0, formatted: '$0.00' },
          conversionRate: 0.25,
        },
      ],
      adPerformance: [
        { ad: { id: ads[0].id, name: ads[0].name }, impressions: 10, clicks: 3, ctr: 0.3 },
        { ad: { id: ads[1].id, name: ads[1].name }, impressions: 0, clicks: 1, ctr: 0 },
      ],
      waitlist: { joined: 3, offersSent: 2, accepted: 1, declined: 1, expired: 1, acceptanceRate: 0.5 },
      funnel: { offerViews: 8, offerClicks: 2, purchases: 3 },
    });
  });

  it('counts whole UTC days: a one-day period holds that day from 00:00 to the last millisecond', async () => {
    const lastDay = await graphql(stack.gatewayUrl, MonetizationAnalytics, {
      variables: { eventId: 'ev-private', from: '2026-03-31', to: '2026-03-31' },
      token,
    });
    expect(lastDay.data.monetizationAnalytics.funnel).toEqual({ offerViews: 1, offerClicks: 0, purchases: 0 });
    const april = await graphql(stack.gatewayUrl, MonetizationAnalytics, {
      variables: { eventId: 'ev-private', from: '2026-04-01', to: '2026-04-01' },
      token,
    });
    expect(april.data.monetizationAnalytics.revenue.total.amountCents).toBe(7);
  });

  it('answers zeros, never NaN, for a period without activity', async () => {
    const response = await graphql(
      stack.gatewayUrl,
      `query($eventId: ID!, $from: Date!, $to: Date!) { monetizationAnalytics(eventId: $eventId, from: $from, to: $to) {
        from to currency
        revenue { total { amountCents formatted } fromOffers { amountCents } refunded { amountCents } }
        offerPerformance { offerId } adPerformance { adId }
        waitlist { joined offersSent acceptanceRate }
        funnel { offerViews viewToClickRate clickToPurchaseRate } } }`,
      { variables: { eventId: 'ev-private', from: '2025-01-01', to: '2025-12-31' }, token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.monetizationAnalytics).toEqual({
      from: '2025-01-01',
      to: '2025-12-31',
      currency: 'USD',
      revenue: { total: { amountCents: 0, formatted: '$0.00' }, fromOffers: { amountCents: 0 }, refunded: { amountCents: 0 } },
      offerPerformance: [],
      adPerformance: [],
      waitlist: { joined: 0, offersSent: 0, acceptanceRate: 0 },
      funnel: { offerViews: 0, viewToClickRate: 0, clickToPurchaseRate: 0 },
    });
  });

  it("reports amounts in the event's own currency", async () => {
    const response = await graphql(stack.gatewayUrl, MonetizationAnalytics, {
      variables: { eventId: 'ev-public', from: '2026-03-01', to: '2026-03-31' },
      token: await tokenFor('u-outsider'),
    });
    expect(response.data.monetizationAnalytics.revenue.total).toEqual({ amountCents: 0, currency: 'EUR', formatted: '€0.00' });
  });
});
