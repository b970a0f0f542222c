import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity } from '../../kernel/auth/identity';
import { createLogger } from '../../kernel/logger';
import { LiveChannels, type OfferInventoryChange } from '../../kernel/contracts/live-channels';
import { OfferPurchase } from '../../subgraphs/offers/entities/offer-purchase';
import { FULFILLMENT_PLANS, FulfillmentError, FulfillmentPipeline } from '../../subgraphs/offers/purchase/fulfillment';
import { eventually } from '../support/timing';
import { codesOf, graphql } from '../support/graphql';
import { ActiveOffers, EventMonetizationOffers, PurchaseOffer } from '../support/offer-operations';
import { insertOffer, transitionsOf } from '../support/offers';
import { startStack, type TestStack } from '../support/stack';
import { TEST_SUBGRAPH_SECRET, tokenFor } from '../support/tokens';

const hour = 3_600_000;

describe('reading offers, their purchases and their live inventory', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ subgraphs: ['offers'], subgraphWorkers: false });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.reset());

  it('lists as active only offers that are active, in their window and not sold out', async () => {
    const now = Date.now();
    const onSale = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: 'On sale', inventoryTotal: 3, sold: 2 });
    await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: 'Unlimited' });
    await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: 'Sold out', inventoryTotal: 3, sold: 2, reserved: 1 });
    await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: 'Draft', isActive: false });
    await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: 'Later', startsAt: new Date(now + hour) });
    await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: 'Over', startsAt: new Date(now - 2 * hour), expiresAt: new Date(now - hour) });
    const response = await graphql(stack.gatewayUrl, ActiveOffers, { variables: { eventId: 'ev-private' }, token: await tokenFor('u-guest') });
    expect(response.errors).toBeUndefined();
    expect(response.data.activeOffers.map((offer: { title: string }) => offer.title)).toEqual(['On sale', 'Unlimited']);
    expect(response.data.activeOffers[0]).toMatchObject({ id: onSale.id, inventory: { available: 1 }, price: { formatted: '$15.00' } });
    const outsider = await graphql(stack.gatewayUrl, ActiveOffers, { variables: { eventId: 'ev-private' }, token: await tokenFor('u-outsider') });
    expect(codesOf(outsider)).toEqual(['NOT_FOUND']);
  });

  it('filters sold-out offers in SQL: the statement itself returns no sold-out row (issue 16)', async () => {
    const onSale = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: 'On sale', inventoryTotal: 3, sold: 2 });
    for (let i = 0; i < 20; i += 1) {
      await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: `Sold out ${i}`, inventoryTotal: 2, sold: 1 + (i % 2), reserved: 1 - (i % 2) });
    }
    const token = await tokenFor('u-guest');
    const counter = stack.countSql();
    const response = await graphql(stack.gatewayUrl, ActiveOffers, { variables: { eventId: 'ev-private' }, token });
    counter.stop();
    expect(response.data.activeOffers.map((offer: { id: string }) => offer.id)).toEqual([onSale.id]);
    const reads = counter.statements.filter((sql) => /\bfrom "?offers"?\b/i.test(sql));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatch(/inventory_total - o\.sold - o\.reserved (> 0|>= 1)/);
    // Run as sent: PostgreSQL itself leaves the 20 sold-out offers out, nothing is dropped in code.
    const rows = await stack.runtime.orm.em.fork().execute<{ id: string }[]>(reads[0]);
    expect(rows.map((row) => row.id)).toEqual([onSale.id]);
  });

  it('serves the offers part of the dashboard\'s EventMonetization: every offer for organizers, live ones for attendees', async () => {
    await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: 'Live', originalPriceCents: 2000, inventoryTotal: 5, sold: 1, reserved: 2 });
    await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: 'Draft', isActive: false });
    const organizer = await graphql(stack.gatewayUrl, EventMonetizationOffers, { variables: { eventId: 'ev-private' }, token: await tokenFor('u-staff') });
    expect(organizer.errors).toBeUndefined();
    expect(organizer.data.event.offers.map((offer: { title: string }) => offer.title)).toEqual(['Live', 'Draft']);
    expect(organizer.data.event.offers[0]).toMatchObject({
      isActive: true,
      price: { amountCents: 1500, currency: 'USD', formatted: '$15.00' },
      originalPrice: { amountCents: 2000, formatted: '$20.00' },
      inventory: { total: 5, sold: 1, reserved: 2, available: 2 },
    });
    const attendee = await graphql(stack.gatewayUrl, EventMonetizationOffers, { variables: { eventId: 'ev-private' }, token: await tokenFor('u-vip') });
    expect(attendee.data.event.offers.map((offer: { title: string }) => offer.title)).toEqual(['Live']);
  });

  it('shows an offer\'s purchases to its organizers only', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', priceCents: 0 });
    await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId: offer.id, quantity: 1 }, token: await tokenFor('u-vip') });
    const query = `query($id: ID!) { offer(id: $id) { id purchases { userId quantity status } } }`;
    const organizer = await graphql(stack.gatewayUrl, query, { variables: { id: offer.id }, token: await tokenFor('u-staff') });
    expect(organizer.data.offer.purchases).toEqual([{ userId: 'u-vip', quantity: 1, status: 'COMPLETED' }]);
    const attendee = await graphql(stack.gatewayUrl, query, { variables: { id: offer.id }, token: await tokenFor('u-vip') });
    expect(codesOf(attendee)).toEqual(['FORBIDDEN']);
  });

  it('sends the same number of SQL statements for event { offers { inventory purchases } } with 1 and with 25 offers', async () => {
    const query = `query($eventId: ID!) {
      event(id: $eventId) { id offers { id title inventory { total sold reserved available } purchases { id total { formatted } } } }
    }`;
    const token = await tokenFor('u-staff');
    const addOffers = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: `Offer ${i}`, inventoryTotal: 10, createdAt: new Date(Date.now() - (count - i) * 1000) });
        await stack.runtime.orm.em
          .fork()
          .persistAndFlush(new OfferPurchase(offer.id, 'ev-private', 'u-vip', 1, 1500, 1500, 'USD', randomUUID()));
      }
    };
    const statementsFor = async () => {
      const counter = stack.countSql();
      const response = await graphql(stack.gatewayUrl, query, { variables: { eventId: 'ev-private' }, token });
      counter.stop();
      expect(response.errors).toBeUndefined();
      return { statements: counter.statements.length, offers: response.data.event.offers.length };
    };
    await addOffers(1);
    const one = await statementsFor();
    await addOffers(24);
    const many = await statementsFor();
    expect(one.offers).toBe(1);
    expect(many.offers).toBe(25);
    expect(many.statements).toBe(one.statements);
    expect(one.statements).toBeLessThanOrEqual(8);
  });

  it('resolves any number of Offer references (as analytics asks for offer titles) with the same statements', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push((await insertOffer(stack.runtime.orm, { eventId: i % 2 ? 'ev-private' : 'ev-public', title: `Offer ${i}` })).id);
    const proof = await signGatewayIdentity({ userId: 'u-staff' }, TEST_SUBGRAPH_SECRET);
    const countFor = async (offerIds: string[]) => {
      const counter = stack.countSql();
      const response = await graphql(
        stack.subgraphUrls.offers!,
        `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Offer { id title } } }`,
        { variables: { representations: offerIds.map((id) => ({ __typename: 'Offer', id })) }, headers: { [GATEWAY_IDENTITY_HEADER]: proof } },
      );
      counter.stop();
      expect(response.data._entities.filter(Boolean)).toHaveLength(offerIds.length);
      return counter.statements.length;
    };
    expect(await countFor(ids)).toBe(await countFor(ids.slice(0, 2)));
  });

  it('publishes an inventory change on the event\'s live channel after purchases and edits commit', async () => {
    const subscriber = new IORedis(process.env.REDIS_URL!);
    const received: OfferInventoryChange[] = [];
    try {
      await subscriber.subscribe(LiveChannels.offerInventory('ev-public'));
      subscriber.on('message', (_channel, message) => received.push(JSON.parse(message)));
      const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-public', inventoryTotal: 5, currency: 'EUR' });
      const bought = await graphql(stack.gatewayUrl, PurchaseOffer, { variables: { offerId: offer.id, quantity: 1 }, token: await tokenFor('u-guest') });
      expect(bought.errors).toBeUndefined();
      // Other engineers' tests may publish on the same channel: count only this offer's messages.
      const mine = () => received.filter((change) => change.offerId === offer.id);
      // The reservation, then the simulated payment's sale.
      await eventually(() => mine().length >= 2, 3_000, 'two inventory changes');
      expect(mine()[0]).toMatchObject({ eventId: 'ev-public', offerId: offer.id });
      const edited = await graphql(stack.gatewayUrl, `mutation($id: ID!) { updateOffer(id: $id, input: { inventoryTotal: 9 }) { id } }`, {
        variables: { id: offer.id },
        token: await tokenFor('u-outsider'),
      });
      expect(edited.errors).toBeUndefined();
      await eventually(() => mine().length >= 3, 3_000, 'the edit\'s inventory change');
    } finally {
      subscriber.disconnect();
    }
  });

  it('marks a failed fulfillment FAILED with its reason and lets an organizer retry it to FULFILLED', async () => {
    const offer = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', type: 'SERVICE', priceCents: 0 });
    const purchase = new OfferPurchase(offer.id, 'ev-private', 'u-vip', 1, 0, 0, 'USD', randomUUID());
    purchase.status = 'COMPLETED';
    await stack.runtime.orm.em.fork().persistAndFlush(purchase);
    const broken = new FulfillmentPipeline(stack.runtime.orm, createLogger('silent'), {
      ...FULFILLMENT_PLANS,
      SERVICE: [
        FULFILLMENT_PLANS.SERVICE[0],
        {
          to: 'FULFILLED',
          perform: () => {
            throw new FulfillmentError('The provider did not accept the booking.');
          },
        },
      ],
    });
    expect(await broken.run(purchase.id)).toBe('FAILED');
    const [failed] = await stack.runtime.orm.em
      .fork()
      .execute<{ fulfillment_status: string; fulfillment_failure_reason: string }[]>(
        'select fulfillment_status, fulfillment_failure_reason from offer_purchases where id = ?',
        [purchase.id],
      );
    expect(failed).toEqual({ fulfillment_status: 'FAILED', fulfillment_failure_reason: 'The provider did not accept the booking.' });

    const retry = `mutation($id: ID!) { retryFulfillment(purchaseId: $id) { id fulfillmentStatus fulfillmentNote } }`;
    const buyer = await graphql(stack.gatewayUrl, retry, { variables: { id: purchase.id }, token: await tokenFor('u-vip') });
    expect(codesOf(buyer)).toEqual(['FORBIDDEN']);
    const organizer = await graphql(stack.gatewayUrl, retry, { variables: { id: purchase.id }, token: await tokenFor('u-owner') });
    expect(organizer.errors).toBeUndefined();
    expect(organizer.data.retryFulfillment).toMatchObject({ fulfillmentStatus: 'FULFILLED', fulfillmentNote: 'Service scheduled.' });
    const again = await graphql(stack.gatewayUrl, retry, { variables: { id: purchase.id }, token: await tokenFor('u-owner') });
    expect(codesOf(again)).toEqual(['CONFLICT']);

    const steps = (await transitionsOf(stack.runtime.orm, purchase.id)).map((step) => `${step.from}→${step.to}`);
    expect(steps).toEqual(['PENDING→PROCESSING', 'PROCESSING→FAILED', 'FAILED→PENDING', 'PENDING→PROCESSING', 'PROCESSING→FULFILLED']);
  });
});
