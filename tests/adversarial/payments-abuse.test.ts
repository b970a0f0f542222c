import Stripe from 'stripe';
import { codesOf, graphql } from '../support/graphql';
import { insertOffer, purchasesOf } from '../support/offers';
import { startStack, type TestStack } from '../support/stack';
import { paymentIntentEvent, startStripeServer, TEST_WEBHOOK_SECRET, type LocalStripeServer } from '../support/stripe-server';
import { tokenFor } from '../support/tokens';

const PURCHASE = 'mutation($offerId: ID!, $quantity: Int!) { purchaseOffer(offerId: $offerId, quantity: $quantity) { purchase { id status } } }';

describe('reservation hoarding and forged payment events', () => {
  let stripe: LocalStripeServer;
  let stack: TestStack;

  beforeAll(async () => {
    stripe = await startStripeServer();
    stack = await startStack({ subgraphs: ['offers'], env: stripe.env({ OFFER_MAX_RESERVED_UNITS_PER_USER: '5' }) });
  });
  afterAll(async () => {
    await stack.close();
    await stripe.close();
  });
  beforeEach(() => stack.reset());

  const reservedOf = async (offerId: string) =>
    Number((await stack.runtime.orm.em.fork().execute<{ reserved: number }[]>(`select reserved from offers where id = ?`, [offerId]))[0].reserved);
  const buy = async (offerId: string, quantity: number, user = 'u-vip') =>
    graphql(stack.gatewayUrl, PURCHASE, { variables: { offerId, quantity }, token: await tokenFor(user) });

  it('caps the units one user holds in open reservations of an offer, says so, and leaves the stock to others', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', priceCents: 1000, inventoryTotal: 100 });
    expect((await buy(offer.id, 3)).errors).toBeUndefined();
    expect((await buy(offer.id, 2)).errors).toBeUndefined();
    const refused = await buy(offer.id, 1);
    expect(codesOf(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0].extensions).toMatchObject({ reason: 'RESERVATION_LIMIT', held: 5, limit: 5 });
    expect(refused.errors?.[0].message).toMatch(/at most 5/);
    expect(await reservedOf(offer.id)).toBe(5);
    expect((await purchasesOf(stack.runtime.orm, offer.id)).length).toBe(2);
    // Someone else may still buy.
    expect((await buy(offer.id, 5, 'u-guest')).errors).toBeUndefined();
    expect(await reservedOf(offer.id)).toBe(10);
  });

  it('holds under concurrency: parallel requests of one user never hold more than the cap together', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', priceCents: 1000, inventoryTotal: 100 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => buy(offer.id, 2)));
    const accepted = answers.filter((answer) => !answer.errors);
    expect(accepted).toHaveLength(2);
    expect(answers.filter((answer) => codesOf(answer)[0] === 'CONFLICT')).toHaveLength(4);
    expect(await reservedOf(offer.id)).toBe(4);
  });

  it('refuses a webhook whose signature is stamped in the future beyond the tolerance, and changes nothing', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', priceCents: 1000, inventoryTotal: 10 });
    expect((await buy(offer.id, 1)).errors).toBeUndefined();
    const [row] = await purchasesOf(stack.runtime.orm, offer.id);
    const event = paymentIntentEvent('payment_intent.succeeded', {
      id: row.payment_intent_id!,
      amount: 1000,
      currency: 'usd',
      metadata: { purchaseId: row.id, offerId: offer.id },
    });
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) + 3600 });
    const response = await fetch(new URL('/webhooks/stripe', stack.gatewayUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
    });
    expect(response.status).toBe(400);
    const [after] = await purchasesOf(stack.runtime.orm, offer.id);
    expect(after.status).toBe('RESERVED');
  });

  it("answers failures of the subgraph's webhook route as JSON without a stack trace", async () => {
    const direct = new URL('/webhooks/stripe', stack.subgraphUrls.offers!).toString();
    const tooLarge = await fetch(direct, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=x' }, body: 'x'.repeat(2 * 1024 * 1024) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toMatch(/json/);
    const body = await tooLarge.text();
    expect(body).not.toMatch(/\bat \S+ \(|node_modules|Error:/);
    const badEncoding = await fetch(direct, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'bogus' }, body: '{}' });
    expect(badEncoding.status).toBeGreaterThanOrEqual(400);
    expect(badEncoding.headers.get('content-type')).toMatch(/json/);
    expect(await badEncoding.text()).not.toMatch(/\bat \S+ \(|node_modules/);
  });
});
