import type { OfferType } from '../../subgraphs/offers/entities/offer';
import { codesOf, graphql } from '../support/graphql';
import { MyPurchases, PurchaseOffer } from '../support/offer-operations';
import { insertOffer, inventoryOf, purchasesOf, transitionsOf } from '../support/offers';
import { startStack, type TestStack } from '../support/stack';
import { paymentIntentEvent, postStripeWebhook, startStripeServer, TEST_STRIPE_KEY, type LocalStripeServer } from '../support/stripe-server';
import { tokenFor } from '../support/tokens';
import type { Envelope } from '../../kernel/events/envelope';
import { addAnalyticsEvent, ingest } from '../support/analytics';

/**
 * Paid purchases with the real `stripe` client talking to a Stripe stand-in on loopback, and
 * Stripe's webhooks posted, signed, to the gateway's port.
 */
describe('paying for offers with Stripe', () => {
  let stripe: LocalStripeServer;
  let stack: TestStack;
  let webhookUrl: string;

  beforeAll(async () => {
    stripe = await startStripeServer();
    stack = await startStack({
      subgraphs: ['offers', 'analytics'],
      env: stripe.env({ STRIPE_TIMEOUT_MS: '800', STRIPE_MAX_NETWORK_RETRIES: '1' }),
    });
    webhookUrl = new URL('/webhooks/stripe', stack.gatewayUrl).toString();
  });
  afterAll(async () => {
    await stack.close();
    await stripe.close();
  });
  beforeEach(async () => {
    await stack.reset();
    stripe.requests.length = 0;
    stripe.mode = 'ok';
  });

  /** Buys through the gateway and returns the purchase as the client sees it. */
  async function buy(offerId: string, quantity = 1, user = 'u-vip') {
    const response = await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId, quantity }, token: await tokenFor(user) });
    return response;
  }

  const intentOf = async (offerId: string) => {
    const [row] = await purchasesOf(stack.runtime.orm, offerId);
    const created = stripe.requests.find((request) => request.path === '/v1/payment_intents' && request.form['metadata[purchaseId]'] === row.id)!;
    return {
      purchaseId: row.id,
      intent: {
        id: row.payment_intent_id!,
        amount: Number(created.form.amount),
        currency: created.form.currency,
        metadata: { purchaseId: row.id, offerId, eventId: created.form['metadata[eventId]'], userId: created.form['metadata[userId]'] },
      },
    };
  };

  it('creates a PaymentIntent with the amount, currency, idempotency key and metadata, and returns its client secret', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 1250, inventoryTotal: 10 });
    const before = Date.now();
    const response = await buy(offer.id, 3);
    expect(response.errors).toBeUndefined();
    const { clientSecret, purchase } = response.data.purchaseOffer;
    expect(purchase).toMatchObject({ status: 'RESERVED', quantity: 3, fulfillmentStatus: 'PENDING', total: { amountCents: 3750, currency: 'USD' } });
    const expiresIn = Date.parse(purchase.reservationExpiresAt) - before;
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 5_000);

    expect(stripe.requests).toHaveLength(1);
    const [request] = stripe.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/payment_intents');
    expect(request.headers.authorization).toBe(`Bearer ${TEST_STRIPE_KEY}`);
    expect(request.headers['idempotency-key']).toBe(`purchase:${purchase.id}`);
    expect(request.form).toMatchObject({
      amount: '3750',
      currency: 'usd',
      'metadata[purchaseId]': purchase.id,
      'metadata[offerId]': offer.id,
      'metadata[eventId]': 'ev-private',
      'metadata[userId]': 'u-vip',
    });
    expect(clientSecret).toBe('pi_local_1_secret_local');

    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 3, sold: 0 });
    const [row] = await purchasesOf(stack.runtime.orm, offer.id);
    expect(row).toMatchObject({ payment_provider: 'STRIPE', payment_intent_id: 'pi_local_1', status: 'RESERVED' });
  });

  it('answers SERVICE_DEGRADED when Stripe fails with 5xx, releases the reservation, and retried with the same idempotency key', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 1000, inventoryTotal: 1 });
    stripe.mode = 'fail';
    const response = await buy(offer.id);
    expect(codesOf(response)).toEqual(['SERVICE_DEGRADED']);
    expect(response.errors![0].message).not.toMatch(/127\.0\.0\.1|stripe\.com|api_error|stack/i);
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 0, sold: 0 });
    const [row] = await purchasesOf(stack.runtime.orm, offer.id);
    expect(row.status).toBe('FAILED');
    // The client's one retry carried the same key: Stripe could never have charged twice.
    const keys = stripe.requests.map((request) => request.headers['idempotency-key']);
    expect(keys).toEqual([`purchase:${row.id}`, `purchase:${row.id}`]);

    // The single unit is back on sale: someone else can buy it once Stripe recovers.
    stripe.mode = 'ok';
    const again = await buy(offer.id, 1, 'u-guest');
    expect(again.errors).toBeUndefined();
  });

  it('answers SERVICE_DEGRADED when Stripe times out and releases the reservation', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 1000, inventoryTotal: 5 });
    stripe.mode = 'hang';
    const response = await buy(offer.id, 2);
    expect(codesOf(response)).toEqual(['SERVICE_DEGRADED']);
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 0, sold: 0 });
    expect((await purchasesOf(stack.runtime.orm, offer.id))[0].status).toBe('FAILED');
  });

  it('refuses a webhook with a bad signature with 400 and changes nothing', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 1000, inventoryTotal: 5 });
    await buy(offer.id);
    const { intent } = await intentOf(offer.id);
    const event = paymentIntentEvent('payment_intent.succeeded', intent);
    const forged = await postStripeWebhook(webhookUrl, event, 'whsec_not_the_secret');
    expect(forged.status).toBe(400);
    const unsigned = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(unsigned.status).toBe(400);
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 1, sold: 0 });
    expect((await purchasesOf(stack.runtime.orm, offer.id))[0]).toMatchObject({ status: 'RESERVED', fulfillment_status: 'PENDING' });
  });

  it('completes a purchase once when Stripe delivers payment_intent.succeeded twice: one sale, one fulfillment, one analytics event', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 1000, inventoryTotal: 5, type: 'PHYSICAL' });
    await buy(offer.id, 2);
    const { purchaseId, intent } = await intentOf(offer.id);
    const event = paymentIntentEvent('payment_intent.succeeded', intent);
    const first = await postStripeWebhook(webhookUrl, event);
    const second = await postStripeWebhook(webhookUrl, event);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body).toMatchObject({ handled: false });

    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 0, sold: 2 });
    const [row] = await purchasesOf(stack.runtime.orm, offer.id);
    // A physical offer waits for the organizer to ship it (issue 16).
    expect(row).toMatchObject({ status: 'COMPLETED', fulfillment_status: 'PROCESSING' });
    const history = await transitionsOf(stack.runtime.orm, purchaseId);
    expect(history.filter((step) => step.kind === 'FULFILLMENT').map((step) => step.to)).toEqual(['PROCESSING']);
    const analytics = await stack.runtime.orm.em
      .fork()
      .execute<{ payload: { type: string; data: Record<string, unknown> } }[]>(
        `select payload from outbox_messages where topic = 'monetization.events.v1' and payload->'data'->>'offerId' = ?`,
        [offer.id],
      );
    expect(analytics.map((message) => message.payload)).toEqual([
      expect.objectContaining({
        type: 'PurchaseCompleted',
        data: { eventId: 'ev-private', offerId: offer.id, userId: 'u-vip', quantity: 2, amountCents: 2000, currency: 'USD', offerTitle: offer.title },
      }),
    ]);
  });

  it('answers SERVICE_DEGRADED and keeps nothing reserved when Stripe refuses the payment itself', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 20, inventoryTotal: 5 });
    stripe.mode = 'refuse';
    const response = await buy(offer.id, 1);
    expect(response.errors?.[0].extensions?.code).toBe('SERVICE_DEGRADED');
    expect(JSON.stringify(response)).not.toMatch(/amount_too_small|stripe/i);
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 0, sold: 0 });
    const [row] = await purchasesOf(stack.runtime.orm, offer.id);
    expect(row).toMatchObject({ status: 'FAILED' });
  });

  it('turns a fully refunded payment into a REFUNDED purchase once, puts its units back on sale and tells analytics', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 1500, inventoryTotal: 5, type: 'DIGITAL' });
    await buy(offer.id, 2);
    const { purchaseId, intent } = await intentOf(offer.id);
    expect((await postStripeWebhook(webhookUrl, paymentIntentEvent('payment_intent.succeeded', intent))).status).toBe(200);
    const refund = {
      id: `evt_refund_${purchaseId}`,
      object: 'event',
      type: 'charge.refunded',
      api_version: '2025-01-27',
      created: Math.floor(Date.now() / 1000),
      data: { object: { object: 'charge', id: 'ch_1', payment_intent: intent.id, refunded: true, amount: 3000, amount_refunded: 3000, currency: 'usd' } },
    };
    const first = await postStripeWebhook(webhookUrl, refund);
    const again = await postStripeWebhook(webhookUrl, refund);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toMatchObject({ handled: false });

    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 0, sold: 0 });
    const [row] = await purchasesOf(stack.runtime.orm, offer.id);
    expect(row).toMatchObject({ status: 'REFUNDED' });
    const refunds = await stack.runtime.orm.em
      .fork()
      .execute<{ payload: { data: Record<string, unknown> } }[]>(
        `select payload from outbox_messages where payload->>'type' = 'PurchaseRefunded' and payload->'data'->>'offerId' = ?`,
        [offer.id],
      );
    expect(refunds.map((message) => message.payload.data)).toEqual([
      { eventId: 'ev-private', offerId: offer.id, userId: 'u-vip', quantity: 2, amountCents: 3000, currency: 'USD', offerTitle: offer.title },
    ]);
  });

  it('applies partial refunds to the net amount and analytics revenue by the refunded part; the rest refunds it fully (issue 16)', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 1500, inventoryTotal: 5, type: 'DIGITAL' });
    await buy(offer.id, 2);
    const { purchaseId, intent } = await intentOf(offer.id);
    expect((await postStripeWebhook(webhookUrl, paymentIntentEvent('payment_intent.succeeded', intent))).status).toBe(200);
    const refundEvent = (id: string, amountRefunded: number) => ({
      id,
      object: 'event',
      type: 'charge.refunded',
      api_version: '2025-01-27',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: { object: 'charge', id: 'ch_2', payment_intent: intent.id, refunded: amountRefunded >= 3000, amount: 3000, amount_refunded: amountRefunded, currency: 'usd' },
      },
    });
    const mine = async () =>
      (await graphql(stack.gatewayUrl, `query($eventId: ID) { myPurchases(eventId: $eventId) { id status total { amountCents } refunded { amountCents } netTotal { amountCents formatted } } }`, {
        variables: { eventId: 'ev-private' },
        token: await tokenFor('u-vip'),
      })).data.myPurchases.find((purchase: { id: string }) => purchase.id === purchaseId);

    // Stripe's amount_refunded is cumulative: 500, then 1200 in all (a replay of the first changes nothing), then all of it.
    expect((await postStripeWebhook(webhookUrl, refundEvent(`evt_p1_${purchaseId}`, 500))).status).toBe(200);
    expect(await mine()).toMatchObject({ status: 'COMPLETED', total: { amountCents: 3000 }, refunded: { amountCents: 500 }, netTotal: { amountCents: 2500, formatted: '$25.00' } });
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ sold: 2 });
    await postStripeWebhook(webhookUrl, refundEvent(`evt_p2_${purchaseId}`, 1200));
    await postStripeWebhook(webhookUrl, refundEvent(`evt_p1b_${purchaseId}`, 500));
    expect(await mine()).toMatchObject({ status: 'COMPLETED', refunded: { amountCents: 1200 }, netTotal: { amountCents: 1800 } });
    await postStripeWebhook(webhookUrl, refundEvent(`evt_full_${purchaseId}`, 3000));
    expect(await mine()).toMatchObject({ status: 'REFUNDED', refunded: { amountCents: 3000 }, netTotal: { amountCents: 0 } });
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ sold: 0 });

    const refunds = await stack.runtime.orm.em
      .fork()
      .execute<{ payload: Envelope }[]>(
        `select payload from outbox_messages where payload->>'type' in ('PurchaseCompleted', 'PurchaseRefunded') and payload->'data'->>'offerId' = ? order by created_at`,
        [offer.id],
      );
    expect(refunds.map((message) => [message.payload.type, (message.payload.data as any).quantity, (message.payload.data as any).amountCents])).toEqual([
      ['PurchaseCompleted', 2, 3000],
      ['PurchaseRefunded', 0, 500],
      ['PurchaseRefunded', 0, 700],
      ['PurchaseRefunded', 2, 1800],
    ]);
    // Analytics' revenue and units, fact by fact: net of the partial refunds, units back only with the full one.
    const eventId = await addAnalyticsEvent(stack.runtime.orm);
    const facts = refunds.map((message) => ({ ...message.payload, data: { ...(message.payload.data as object), eventId } }));
    const day = new Date().toISOString().slice(0, 10);
    const revenueAfter = async (count: number) => {
      await ingest(stack.runtime.orm, facts.slice(0, count));
      const view = await graphql(stack.gatewayUrl, `query($eventId: ID!, $day: Date!) { monetizationAnalytics(eventId: $eventId, from: $day, to: $day) { revenue { total { amountCents } } offerPerformance { unitsSold } } }`, {
        variables: { eventId, day },
        token: await tokenFor('u-owner'),
      });
      return [view.data.monetizationAnalytics.revenue.total.amountCents, view.data.monetizationAnalytics.offerPerformance[0].unitsSold];
    };
    expect(await revenueAfter(2)).toEqual([2500, 2]);
    expect(await revenueAfter(3)).toEqual([1800, 2]);
    expect(await revenueAfter(4)).toEqual([0, 0]);
  });

  it('does not resurrect a cancelled reservation when payment_intent.succeeded arrives after payment_intent.canceled', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 1000, inventoryTotal: 1 });
    await buy(offer.id);
    const { purchaseId, intent } = await intentOf(offer.id);
    expect((await postStripeWebhook(webhookUrl, paymentIntentEvent('payment_intent.canceled', intent))).status).toBe(200);
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 0, sold: 0 });
    // The released unit is sold to someone else meanwhile.
    expect((await buy(offer.id, 1, 'u-guest')).errors).toBeUndefined();

    expect((await postStripeWebhook(webhookUrl, paymentIntentEvent('payment_intent.succeeded', intent))).status).toBe(200);
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 1, sold: 0 });
    const row = (await purchasesOf(stack.runtime.orm, offer.id)).find((purchase) => purchase.id === purchaseId)!;
    expect(row).toMatchObject({ status: 'CANCELLED', fulfillment_status: 'PENDING' });
    const history = await transitionsOf(stack.runtime.orm, purchaseId);
    expect(history.at(-1)!.note).toMatch(/refund due/);
  });

  it('releases the reservation on payment_intent.payment_failed and cancels the intent so it cannot be paid later', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 1000, inventoryTotal: 3 });
    await buy(offer.id, 3);
    const { intent } = await intentOf(offer.id);
    const failed = paymentIntentEvent('payment_intent.payment_failed', intent);
    expect((await postStripeWebhook(webhookUrl, failed)).status).toBe(200);
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 0, sold: 0 });
    expect((await purchasesOf(stack.runtime.orm, offer.id))[0].status).toBe('FAILED');
    expect(stripe.requests.map((request) => request.path)).toContain(`/v1/payment_intents/${intent.id}/cancel`);
  });

  it('leaves a purchase reserved when the amount Stripe reports does not match it', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 1000, inventoryTotal: 3 });
    await buy(offer.id);
    const { intent } = await intentOf(offer.id);
    await postStripeWebhook(webhookUrl, paymentIntentEvent('payment_intent.succeeded', { ...intent, amount: 1 }));
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ reserved: 1, sold: 0 });
  });

  it('fulfills truthfully: SERVICE and DIGITAL finish alone, PHYSICAL and TICKET_UPGRADE wait in PROCESSING for the organizer (issue 16)', async () => {
    const expected: Record<OfferType, { steps: string[]; status: string; note: RegExp }> = {
      TICKET_UPGRADE: { steps: ['PROCESSING'], status: 'PROCESSING', note: /waits for the organizer to confirm/ },
      PHYSICAL: { steps: ['PROCESSING'], status: 'PROCESSING', note: /record the carrier's tracking reference/ },
      SERVICE: { steps: ['PROCESSING', 'FULFILLED'], status: 'FULFILLED', note: /Service scheduled/ },
      DIGITAL: { steps: ['FULFILLED'], status: 'FULFILLED', note: /Delivered digitally/ },
    };
    const ids: Partial<Record<OfferType, string>> = {};
    for (const [type, want] of Object.entries(expected) as [OfferType, (typeof expected)[OfferType]][]) {
      const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 500, type, title: type });
      await buy(offer.id);
      const { purchaseId, intent } = await intentOf(offer.id);
      ids[type] = purchaseId;
      expect((await postStripeWebhook(webhookUrl, paymentIntentEvent('payment_intent.succeeded', intent))).status).toBe(200);
      const history = await transitionsOf(stack.runtime.orm, purchaseId);
      const fulfillment = history.filter((step) => step.kind === 'FULFILLMENT');
      expect({ type, steps: fulfillment.map((step) => step.to) }).toEqual({ type, steps: want.steps });
      for (const step of history) expect(step.at.getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(history.map((step) => step.at.getTime())).toEqual([...history.map((step) => step.at.getTime())].sort((a, b) => a - b));
    }
    const mine = await graphql(stack.gatewayUrl, MyPurchases, { variables: { eventId: 'ev-private' }, token: await tokenFor('u-vip') });
    expect(mine.errors).toBeUndefined();
    expect(mine.data.myPurchases).toHaveLength(4);
    for (const purchase of mine.data.myPurchases) {
      const want = expected[purchase.offer.title as OfferType];
      expect(purchase).toMatchObject({ status: 'COMPLETED', fulfillmentStatus: want.status, trackingReference: null });
      expect(purchase.fulfillmentNote).toMatch(want.note);
    }

    // What waits on the organizers, per event: the shipment and the upgrade, nothing else.
    const owner = await tokenFor('u-owner');
    const queueOf = async () =>
      (await graphql(stack.gatewayUrl, `query { fulfillmentQueue(eventId: "ev-private") { id offer { type } fulfillmentStatus } }`, { token: owner })).data
        .fulfillmentQueue;
    expect(await queueOf()).toEqual([
      { id: ids.TICKET_UPGRADE, offer: { type: 'TICKET_UPGRADE' }, fulfillmentStatus: 'PROCESSING' },
      { id: ids.PHYSICAL, offer: { type: 'PHYSICAL' }, fulfillmentStatus: 'PROCESSING' },
    ]);
    const buyerQueue = await graphql(stack.gatewayUrl, `query { fulfillmentQueue(eventId: "ev-private") { id } }`, { token: await tokenFor('u-vip') });
    expect(codesOf(buyerQueue)).toEqual(['FORBIDDEN']);

    const ship = `mutation($id: ID!, $ref: String!) { recordShipment(purchaseId: $id, trackingReference: $ref) { fulfillmentStatus trackingReference fulfillmentNote } }`;
    const confirm = `mutation($id: ID!) { confirmTicketUpgrade(purchaseId: $id, note: "Upgraded to VIP seating.") { fulfillmentStatus fulfillmentNote } }`;
    expect(codesOf(await graphql(stack.gatewayUrl, ship, { variables: { id: ids.PHYSICAL, ref: 'x' }, token: await tokenFor('u-vip') }))).toEqual(['FORBIDDEN']);
    const blank = await graphql(stack.gatewayUrl, ship, { variables: { id: ids.PHYSICAL, ref: '  ' }, token: owner });
    expect(blank.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'trackingReference' });
    expect(codesOf(await graphql(stack.gatewayUrl, ship, { variables: { id: ids.TICKET_UPGRADE, ref: '1Z999AA10123456784' }, token: owner }))).toEqual(['CONFLICT']);
    expect(codesOf(await graphql(stack.gatewayUrl, confirm, { variables: { id: ids.PHYSICAL }, token: owner }))).toEqual(['CONFLICT']);

    const shipped = await graphql(stack.gatewayUrl, ship, { variables: { id: ids.PHYSICAL, ref: '1Z999AA10123456784' }, token: owner });
    expect(shipped.errors).toBeUndefined();
    expect(shipped.data.recordShipment).toMatchObject({ fulfillmentStatus: 'FULFILLED', trackingReference: '1Z999AA10123456784' });
    const confirmed = await graphql(stack.gatewayUrl, confirm, { variables: { id: ids.TICKET_UPGRADE }, token: owner });
    expect(confirmed.data.confirmTicketUpgrade).toEqual({ fulfillmentStatus: 'FULFILLED', fulfillmentNote: 'Upgraded to VIP seating.' });
    expect(codesOf(await graphql(stack.gatewayUrl, confirm, { variables: { id: ids.TICKET_UPGRADE }, token: owner }))).toEqual(['CONFLICT']);
    expect(await queueOf()).toEqual([]);

    // Every transition kept, the organizer's step with who took it.
    const shipping = (await transitionsOf(stack.runtime.orm, ids.PHYSICAL!)).filter((step) => step.kind === 'FULFILLMENT');
    expect(shipping.map((step) => `${step.from}→${step.to}`)).toEqual(['PENDING→PROCESSING', 'PROCESSING→FULFILLED']);
    expect(shipping[1].note).toMatch(/1Z999AA10123456784.*u-owner/);
  });

});
