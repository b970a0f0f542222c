import { randomUUID } from 'node:crypto';
import type { Disposable } from '../../kernel/events/bus';
import type { Envelope } from '../../kernel/events/envelope';
import { applyOnce } from '../../kernel/events/idempotent';
import { MONETIZATION_TOPIC } from '../../kernel/contracts/monetization-events';
import { OutboxRelay } from '../../kernel/outbox/relay';
import { WAITLIST_OFFERS_TOPIC, type WaitlistOfferSentData } from '../../subgraphs/waitlist/notifications';
import { contractOperation } from '../support/contract-operations';
import { CrashAfterPublishBus } from '../support/crashing-bus';
import { graphql } from '../support/graphql';
import { collectTopic } from '../support/kafka';
import { eventually, sleep } from '../support/timing';
import { addLiveEvent } from '../support/live';
import { insertOffer } from '../support/offers';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';
import { asUser, WaitlistOps } from '../support/waitlist';

// Kafka being down while mutations run (they succeed, the outbox waits, a relay on the broker
// delivers afterwards) is shown by tests/e2e/waitlist-notifications.test.ts; not repeated here.

jest.setTimeout(60_000);

const MonetizationAnalytics = contractOperation('analytics.graphql', 'MonetizationAnalytics');
const PURCHASE = 'mutation ($offerId: ID!) { purchaseOffer(offerId: $offerId, quantity: 1) { purchase { id status } } }';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface OutboxRow {
  id: string;
  topic: string;
  payload: Envelope;
  sent_at: Date | null;
  attempts: number;
}

describe('the outbox relay killed between publishing and marking the rows sent', () => {
  let stack: TestStack;
  let eventId: string;
  let sessionId: string;
  let offerId: string;

  beforeAll(async () => {
    stack = await startStack({ kafka: true, workers: true });
    // The relay that will "crash" must be the first to see the rows: the stack's own one waits.
    await stack.runtime.relay.dispose();
    // An event and session of their own: other tests publish about the fixture's events on the same topics.
    ({ eventId, sessionId } = await addLiveEvent(stack.runtime.orm));
    offerId = (await insertOffer(stack.runtime.orm, { eventId, title: 'Backstage pass', priceCents: 2500, currency: 'USD', inventoryTotal: 10 })).id;
  });
  afterAll(() => stack?.close());

  const outbox = () =>
    stack.runtime.orm.em
      .fork()
      .execute<OutboxRow[]>('select id, topic, payload, sent_at, attempts from outbox_messages order by created_at, id');

  const analytics = async () => {
    const response = await graphql(stack.gatewayUrl, MonetizationAnalytics, {
      variables: { eventId, from: day(-1), to: day(1) },
      token: await tokenFor('u-owner'),
    });
    expect(response.errors).toBeUndefined();
    return response.data.monetizationAnalytics;
  };

  it('delivers the messages twice, and analytics counts the facts once and the user is notified once', async () => {
    // The guest takes a free seat's offer (a WaitlistOfferSent notification) and buys an offer.
    const guest = asUser(stack, 'u-guest');
    const joined = await guest(WaitlistOps.JoinWaitlist, { sessionId });
    expect(joined.data.joinWaitlist.status).toBe('OFFERED');
    const entryId: string = joined.data.joinWaitlist.id;
    expect((await guest(PURCHASE, { offerId })).data.purchaseOffer.purchase.status).toBe('COMPLETED');

    const written = await outbox();
    expect(written.map((row) => `${row.topic} ${row.payload.type}`).sort()).toEqual([
      `${MONETIZATION_TOPIC} PurchaseCompleted`,
      `${MONETIZATION_TOPIC} WaitlistJoined`,
      `${MONETIZATION_TOPIC} WaitlistOffered`,
      `${WAITLIST_OFFERS_TOPIC} WaitlistOfferSent`,
    ]);

    // A relay publishes everything and dies before marking it: the rows stay unsent.
    const crashing = new CrashAfterPublishBus(stack.runtime.bus);
    const doomed = new OutboxRelay({ orm: stack.runtime.orm, bus: crashing, logger: stack.runtime.logger, pollMs: 50 });
    expect(await doomed.runOnce()).toBe(0);
    expect(crashing.delivered.map((message) => message.envelope.id).sort()).toEqual(written.map((row) => row.payload.id).sort());
    expect((await outbox()).filter((row) => row.sent_at !== null)).toEqual([]);

    // A relay that lives (the stack's own, started again) publishes them again and marks them sent.
    stack.runtime.relay.start();
    await eventually(async () => (await outbox()).every((row) => row.sent_at !== null), 20_000, 'the rows to be marked sent');

    // On Kafka: every message twice, the same envelope (id included) both times.
    const ids = new Set(written.map((row) => row.payload.id));
    const topics = await Promise.all([collectTopic(MONETIZATION_TOPIC), collectTopic(WAITLIST_OFFERS_TOPIC)]);
    try {
      const mine = () => topics.flatMap((topic) => topic.envelopes.filter((envelope) => ids.has(envelope.id)));
      await eventually(() => mine().length >= 2 * ids.size, 30_000, 'both deliveries of every message');
      // A third copy would arrive right behind the second: give it the chance to.
      await sleep(1000);
      for (const row of written) {
        const copies = mine().filter((envelope) => envelope.id === row.payload.id);
        expect(copies).toEqual([row.payload, row.payload]);
      }
      const offers = mine().filter((envelope) => envelope.type === 'WaitlistOfferSent') as Envelope<WaitlistOfferSentData>[];
      expect(offers).toHaveLength(2);
      expect(offers[0].id).toBe(offers[1].id);
      expect(offers.map((envelope) => envelope.data.entryId)).toEqual([entryId, entryId]);
    } finally {
      await Promise.all(topics.map((topic) => topic.stop()));
    }

    // A notification worker that dedupes by envelope id (as the contract asks) writes to the guest once.
    const notified: WaitlistOfferSentData[] = [];
    let deliveries = 0;
    const worker: Disposable = await stack.runtime.bus.subscribe({
      groupId: `notifications-${randomUUID()}`,
      topics: [WAITLIST_OFFERS_TOPIC],
      fromBeginning: true,
      handler: async ({ envelope }) => {
        const data = envelope.data as WaitlistOfferSentData;
        if (data.entryId !== entryId) return;
        deliveries += 1;
        await applyOnce(stack.runtime.orm.em, 'test-notifications', envelope.id, async () => {
          notified.push(data);
        });
      },
    });
    try {
      await eventually(() => deliveries === 2, 30_000, 'both deliveries at the notification worker');
    } finally {
      await worker.dispose();
    }
    expect(notified).toHaveLength(1);
    expect(notified[0]).toMatchObject({ entryId, userId: 'u-guest', email: 'guest@example.com', sessionId, eventId });

    // Analytics: one purchase, one join. A second purchase, behind the duplicates in the event's
    // partition, shows that analytics has read past both copies when it is counted.
    await eventually(async () => (await analytics()).funnel.purchases >= 1, 30_000, 'the first purchase in analytics');
    expect((await guest(PURCHASE, { offerId })).data.purchaseOffer.purchase.status).toBe('COMPLETED');
    await eventually(async () => (await analytics()).funnel.purchases >= 2, 30_000, 'the second purchase in analytics');
    expect(await analytics()).toEqual({
      revenue: { total: { amountCents: 5000, currency: 'USD', formatted: '$50.00' } },
      funnel: { offerViews: 0, offerClicks: 0, purchases: 2 },
      waitlist: { joined: 1, accepted: 0, acceptanceRate: 0 },
    });
  });
});
