import type { DocumentNode } from 'graphql';
import { pgArray } from '../../kernel/db/sql';
import { addAnalyticsEvent, contractOperation, ingest } from '../support/analytics';
import { parseCsv } from '../support/csv';
import { graphql } from '../support/graphql';
import { MyPurchases, PurchaseOffer } from '../support/offer-operations';
import { startStack, type TestStack } from '../support/stack';
import { paymentIntentEvent, postStripeWebhook, startStripeServer, type LocalStripeServer } from '../support/stripe-server';
import { tokenFor } from '../support/tokens';
import type { Envelope } from '../../kernel/events/envelope';

/**
 * Issue 16: money in the minor unit of each currency, end to end: an organizer types a price, the
 * dashboard shows it, a buyer pays it through Stripe, analytics counts it and the export writes it.
 */
describe('money in every currency', () => {
  let stripe: LocalStripeServer;
  let stack: TestStack;
  let webhookUrl: string;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    stripe = await startStripeServer();
    stack = await startStack({ subgraphs: ['offers', 'analytics'], env: stripe.env() });
    webhookUrl = new URL('/webhooks/stripe', stack.gatewayUrl).toString();
  });
  afterAll(async () => {
    await stack.close();
    await stripe.close();
  });

  const asOwner = async (query: string | DocumentNode, variables: Record<string, unknown>) => {
    const response = await graphql(stack.gatewayUrl, query, { variables, token: await tokenFor('u-owner') });
    expect(response.errors).toBeUndefined();
    return response.data;
  };

  /** Creates an offer in the event's currency from a typed price, as the dashboard's form does. */
  async function createOffer(eventId: string, amount: string): Promise<{ id: string; price: { amountCents: number; currency: string; formatted: string } }> {
    const data = await asOwner(
      `mutation($input: CreateOfferInput!) { createOffer(input: $input) { id price { amountCents currency formatted } } }`,
      { input: { eventId, title: 'Lounge pass', type: 'DIGITAL', price: { amount }, inventoryTotal: 100 } },
    );
    return data.createOffer;
  }

  /** Buys, has Stripe report the payment, and feeds the outbox's facts to analytics. */
  async function buyAndSettle(offerId: string, quantity: number) {
    const bought = await asOwner(PurchaseOffer, { offerId, quantity });
    const purchaseId = bought.purchaseOffer.purchase.id;
    const request = stripe.requests.find((candidate) => candidate.path === '/v1/payment_intents' && candidate.form['metadata[purchaseId]'] === purchaseId)!;
    const [row] = await stack.runtime.orm.em.fork().execute<{ payment_intent_id: string; event_id: string }[]>(
      'select payment_intent_id, event_id from offer_purchases where id = ?',
      [purchaseId],
    );
    const intent = {
      id: row.payment_intent_id,
      amount: Number(request.form.amount),
      currency: request.form.currency,
      metadata: { purchaseId, offerId, eventId: row.event_id, userId: 'u-owner' },
    };
    const webhook = await postStripeWebhook(webhookUrl, paymentIntentEvent('payment_intent.succeeded', intent));
    expect(webhook.status).toBe(200);
    const facts = await stack.runtime.orm.em.fork().execute<{ payload: Envelope }[]>(
      `select payload from outbox_messages where payload->>'type' = any(?::text[]) and payload->'data'->>'eventId' = ? order by created_at`,
      [pgArray(['PurchaseCompleted']), row.event_id],
    );
    await ingest(stack.runtime.orm, facts.map((fact) => fact.payload));
    return { purchase: bought.purchaseOffer.purchase, stripeForm: request.form };
  }

  it.each([
    ['USD', '12.50', 1250, '$12.50', '2500', '$25.00', '25.00'],
    ['EUR', '12.50', 1250, '€12.50', '2500', '€25.00', '25.00'],
    ['JPY', '1500', 1500, '¥1,500', '3000', '¥3,000', '3000'],
    ['KWD', '1.25', 1250, 'KWD 1.250', '2500', 'KWD 2.500', '2.500'],
  ])(
    '%s: "%s" is stored as %d minor units, shown as %s, charged %s by Stripe for two, counted as %s and exported as %s',
    async (currency, typed, minor, shown, stripeAmount, revenueShown, exported) => {
      const eventId = await addAnalyticsEvent(stack.runtime.orm, { currency });
      const offer = await createOffer(eventId, typed);
      expect(offer.price.amountCents).toBe(minor);
      expect(offer.price.currency).toBe(currency);
      expect(offer.price.formatted.replace(/\u00a0/g, ' ')).toBe(shown);
      const [stored] = await stack.runtime.orm.em.fork().execute<{ price_cents: string }[]>('select price_cents from offers where id = ?', [offer.id]);
      expect(Number(stored.price_cents)).toBe(minor);

      const { purchase, stripeForm } = await buyAndSettle(offer.id, 2);
      expect(purchase.total.amountCents).toBe(minor * 2);
      expect(stripeForm).toMatchObject({ amount: stripeAmount, currency: currency.toLowerCase() });

      const analytics = await asOwner(contractOperation('analytics.graphql', 'MonetizationAnalytics'), { eventId, from: today, to: today });
      expect(analytics.monetizationAnalytics.revenue.total.amountCents).toBe(minor * 2);
      expect(analytics.monetizationAnalytics.revenue.total.formatted.replace(/\u00a0/g, ' ')).toBe(revenueShown);

      const report = await asOwner(contractOperation('analytics.graphql', 'ExportMonetizationReport'), { eventId, from: today, to: today, format: 'CSV' });
      const rows = parseCsv(Buffer.from(report.exportMonetizationReport.base64, 'base64').toString('utf8').replace(/^\uFEFF/, ''));
      expect(rows).toContainEqual(['Total revenue (net of refunds)', exported, currency]);
    },
  );

  it('carries totals past 2^31 exactly: twenty KWD 999999.99 offers are 19999999800 fils', async () => {
    const eventId = await addAnalyticsEvent(stack.runtime.orm, { currency: 'KWD' });
    const offer = await createOffer(eventId, '999999.99');
    expect(offer.price.amountCents).toBe(999999990);
    const { purchase, stripeForm } = await buyAndSettle(offer.id, 20);
    expect(purchase.total.amountCents).toBe(19_999_999_800);
    expect(purchase.total.amountCents).toBeGreaterThan(2 ** 31);
    expect(stripeForm.amount).toBe('19999999800');

    const mine = await asOwner(MyPurchases, { eventId });
    expect(mine.myPurchases[0].total).toMatchObject({ amountCents: 19_999_999_800, currency: 'KWD' });
    expect(mine.myPurchases[0].total.formatted.replace(/\u00a0/g, ' ')).toBe('KWD 19,999,999.800');

    const analytics = await asOwner(contractOperation('analytics.graphql', 'MonetizationAnalytics'), { eventId, from: today, to: today });
    expect(analytics.monetizationAnalytics.revenue.total.amountCents).toBe(19_999_999_800);
  });
});
