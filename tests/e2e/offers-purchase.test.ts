import { codesOf, graphql } from '../support/graphql';
import { MyPurchases, OfferDetail, PurchaseOffer } from '../support/offer-operations';
import { insertOffer, inventoryOf, purchasesOf } from '../support/offers';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

/**
 * Purchases through the gateway on real PostgreSQL and Redis, without Stripe keys: paid offers go
 * through the labelled payment simulator (Stripe itself is covered by offers-stripe.test.ts).
 */
describe('purchasing offers through the gateway', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ subgraphs: ['offers'] });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.reset());

  it('sells exactly the inventory to 100 concurrent buyers and answers the rest CONFLICT', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', inventoryTotal: 10, priceCents: 2500, currency: 'EUR' });
    // ev-public is public: any signed-in caller may buy. 100 distinct buyers, all at once.
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => tokenFor(`u-buyer-${i}`)));
    let overSold = false;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { sold, reserved } = await inventoryOf(stack.runtime.orm, offer.id);
        if (sold + reserved > 10) overSold = true;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const responses = await Promise.all(
      tokens.map((token) => graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId: offer.id, quantity: 1 }, token })),
    );
    sampling = false;
    await sampler;

    const succeeded = responses.filter((response) => response.data?.purchaseOffer);
    const codes = responses.flatMap(codesOf);
    expect(succeeded).toHaveLength(10);
    expect(codes).toHaveLength(90);
    expect(new Set(codes)).toEqual(new Set(['CONFLICT']));
    expect(overSold).toBe(false);
    const counts = await inventoryOf(stack.runtime.orm, offer.id);
    expect(counts.sold + counts.reserved).toBe(10);
    expect(await purchasesOf(stack.runtime.orm, offer.id)).toHaveLength(10);
  });

  it('refuses a private event\'s offer to a signed-in user who is not registered, reserving nothing', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', inventoryTotal: 5 });
    const response = await graphql(stack.gatewayUrl, PurchaseOffer, {
      variables: { offerId: offer.id, quantity: 1 },
      token: await tokenFor('u-outsider'),
    });
    expect(codesOf(response)).toEqual(['NOT_FOUND']);
    expect(response.data?.purchaseOffer ?? null).toBeNull();
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ sold: 0, reserved: 0 });
    expect(await purchasesOf(stack.runtime.orm, offer.id)).toHaveLength(0);
  });

  it('refuses an anonymous purchase as UNAUTHENTICATED', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', inventoryTotal: 5 });
    const response = await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId: offer.id, quantity: 1 } });
    expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ sold: 0, reserved: 0 });
  });

  it('lets a registered attendee buy a private event\'s offer, paid through the labelled simulator', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', inventoryTotal: 5, priceCents: 1999, type: 'DIGITAL' });
    const response = await graphql(stack.gatewayUrl, PurchaseOffer, {
      variables: { offerId: offer.id, quantity: 2 },
      token: await tokenFor('u-guest'),
    });
    expect(response.errors).toBeUndefined();
    expect(response.data.purchaseOffer).toMatchObject({
      clientSecret: null,
      purchase: { status: 'COMPLETED', quantity: 2, fulfillmentStatus: 'FULFILLED', total: { amountCents: 3998, currency: 'USD' } },
    });
    expect(response.data.purchaseOffer.purchase.reservationExpiresAt).not.toBeNull();
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ sold: 2, reserved: 0 });
    const [row] = await purchasesOf(stack.runtime.orm, offer.id);
    expect(row.payment_provider).toBe('SIMULATED');
    expect(row.payment_intent_id).toMatch(/^simulated_pi_/);
  });

  it('completes a free offer at once without any payment provider', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', inventoryTotal: 3, priceCents: 0, currency: 'EUR', type: 'PHYSICAL' });
    const response = await graphql(stack.gatewayUrl, PurchaseOffer, {
      variables: { offerId: offer.id, quantity: 1 },
      token: await tokenFor('u-guest'),
    });
    expect(response.errors).toBeUndefined();
    expect(response.data.purchaseOffer).toMatchObject({
      clientSecret: null,
      // Physical: paid (free) at once, then waiting for the organizer to ship it; no made-up tracking reference.
      purchase: { status: 'COMPLETED', fulfillmentStatus: 'PROCESSING', reservationExpiresAt: null, total: { amountCents: 0, currency: 'EUR' } },
    });
    const [row] = await purchasesOf(stack.runtime.orm, offer.id);
    expect(row).toMatchObject({ payment_provider: 'NONE', payment_intent_id: null });
    expect(row.tracking_reference).toBeNull();
  });

  it('answers a quantity outside 1..20 with BAD_USER_INPUT naming quantity, reserving nothing', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', inventoryTotal: 50 });
    const token = await tokenFor('u-guest');
    for (const quantity of [0, 21, -1]) {
      const response = await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId: offer.id, quantity }, token });
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.errors![0].extensions).toMatchObject({ field: 'quantity' });
    }
    const atTheLimit = await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId: offer.id, quantity: 20 }, token });
    expect(atTheLimit.errors).toBeUndefined();
    expect(await inventoryOf(stack.runtime.orm, offer.id)).toMatchObject({ sold: 20, reserved: 0 });
  });

  it('refuses inactive, not yet started, expired and sold-out offers with CONFLICT and says why', async () => {
    const token = await tokenFor('u-guest');
    const hour = 3_600_000;
    const cases = [
      { fields: { isActive: false }, reason: 'INACTIVE' },
      { fields: { startsAt: new Date(Date.now() + hour) }, reason: 'NOT_STARTED' },
      { fields: { startsAt: new Date(Date.now() - 2 * hour), expiresAt: new Date(Date.now() - hour) }, reason: 'EXPIRED' },
      { fields: { inventoryTotal: 2, sold: 1 }, reason: 'SOLD_OUT' },
    ];
    for (const { fields, reason } of cases) {
      const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', ...fields });
      const response = await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId: offer.id, quantity: 2 }, token });
      expect(codesOf(response)).toEqual(['CONFLICT']);
      expect(response.errors![0].extensions).toMatchObject({ reason });
      const counts = await inventoryOf(stack.runtime.orm, offer.id);
      expect(counts.reserved).toBe(0);
    }
  });

  it('answers an unknown or malformed offer id NOT_FOUND', async () => {
    const token = await tokenFor('u-guest');
    for (const offerId of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const response = await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId, quantity: 1 }, token });
      expect(codesOf(response)).toEqual(['NOT_FOUND']);
    }
  });

  it('lists only the caller\'s own purchases, optionally of one event, with offer titles batched', async () => {
    const privateOffer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: 'Lounge', type: 'TICKET_UPGRADE' });
    const publicOffer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', title: 'Tote', currency: 'EUR', priceCents: 0 });
    const vip = await tokenFor('u-vip');
    for (const offerId of [privateOffer.id, publicOffer.id]) {
      const bought = await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId, quantity: 1 }, token: vip });
      expect(bought.errors).toBeUndefined();
    }
    await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId: publicOffer.id, quantity: 1 }, token: await tokenFor('u-guest') });

    const all = await graphql(stack.gatewayUrl, MyPurchases, { token: vip });
    expect(all.errors).toBeUndefined();
    expect(all.data.myPurchases.map((purchase: { offer: { title: string } }) => purchase.offer.title).sort()).toEqual(['Lounge', 'Tote']);
    const upgrade = all.data.myPurchases.find((purchase: { offer: { title: string } }) => purchase.offer.title === 'Lounge');
    expect(upgrade).toMatchObject({
      status: 'COMPLETED',
      fulfillmentStatus: 'PROCESSING',
      total: { amountCents: 1500, currency: 'USD', formatted: '$15.00' },
    });
    expect(upgrade.fulfillmentNote).toMatch(/waits for the organizer to confirm/);

    const onePrivate = await graphql(stack.gatewayUrl, MyPurchases, { variables: { eventId: 'ev-private' }, token: vip });
    expect(onePrivate.data.myPurchases).toHaveLength(1);
    const anonymous = await graphql(stack.gatewayUrl, MyPurchases, {});
    expect(codesOf(anonymous)).toEqual(['UNAUTHENTICATED']);
  });

  it('shows live inventory on OfferDetail after purchases', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', inventoryTotal: 4 });
    await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId: offer.id, quantity: 3 }, token: await tokenFor('u-vip') });
    const detail = await graphql(stack.gatewayUrl, OfferDetail, { variables: { id: offer.id }, token: await tokenFor('u-guest') });
    expect(detail.errors).toBeUndefined();
    expect(detail.data.offer.inventory).toEqual({ total: 4, sold: 3, reserved: 0, available: 1 });
  });
});

describe('purchasing in production without Stripe keys', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // Production refuses stand-ins (issue 16): the test services' real Kafka.
    stack = await startStack({ subgraphs: ['offers'], kafka: true, env: { NODE_ENV: 'production' } });
  });
  afterAll(() => stack.close());

  it('never falls back to the simulator: paid offers answer SERVICE_DEGRADED with nothing reserved, free ones still complete', async () => {
    const paid = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', inventoryTotal: 5, currency: 'EUR' });
    const free = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', inventoryTotal: 5, currency: 'EUR', priceCents: 0 });
    const token = await tokenFor('u-guest');
    const refused = await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId: paid.id, quantity: 1 }, token });
    expect(codesOf(refused)).toEqual(['SERVICE_DEGRADED']);
    expect(await inventoryOf(stack.runtime.orm, paid.id)).toMatchObject({ sold: 0, reserved: 0 });
    expect((await purchasesOf(stack.runtime.orm, paid.id)).map((row) => row.payment_provider)).not.toContain('SIMULATED');
    const given = await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId: free.id, quantity: 1 }, token });
    expect(given.data.purchaseOffer.purchase.status).toBe('COMPLETED');
  });
});
