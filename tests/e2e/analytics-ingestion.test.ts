import Redis from 'ioredis';
import type { Producer } from 'kafkajs';
import { addCatalog } from '../support/catalog';
import { graphql } from '../support/graphql';
import { testKafka } from '../support/kafka';
import { eventually, sleep } from '../support/timing';
import { addAnalyticsEvent, contractOperation, monetizationEnvelope } from '../support/analytics';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';
import { MONETIZATION_TOPIC, publishMonetizationEvent } from '../../kernel/contracts/monetization-events';
import type { Envelope } from '../../kernel/events/envelope';
import { LiveChannels, type MonetizationActivity } from '../../kernel/contracts/live-channels';

const EventMonetization = contractOperation('dashboard-event.graphql', 'EventMonetization');
const today = new Date().toISOString().slice(0, 10);

describe('monetization facts from the outbox, through the real broker, into analytics', () => {
  let stack: TestStack;
  let producer: Producer;
  let subscriber: Redis;
  let eventId: string;
  let offerId: string;
  let adId: string;
  const activities: MonetizationActivity[] = [];

  beforeAll(async () => {
    stack = await startStack({ kafka: true, workers: true });
    // An event of its own: other tests publish facts about the fixture's events on the same topic.
    eventId = await addAnalyticsEvent(stack.runtime.orm);
    await addCatalog(stack.runtime.orm, eventId, 1);
    const em = stack.runtime.orm.em.fork();
    offerId = (await em.execute<{ id: string }[]>(`select id from offers where event_id = ?`, [eventId]))[0].id;
    adId = (await em.execute<{ id: string }[]>(`select id from ads where event_id = ?`, [eventId]))[0].id;

    subscriber = new Redis(process.env.REDIS_URL!);
    await subscriber.subscribe(LiveChannels.monetizationActivity(eventId));
    subscriber.on('message', (_channel, text) => activities.push(JSON.parse(text) as MonetizationActivity));

    producer = testKafka().producer();
    await producer.connect();
  }, 30_000);
  afterAll(async () => {
    await producer?.disconnect();
    subscriber?.disconnect();
    await stack?.close();
  });

  const dashboard = async () => {
    const response = await graphql(stack.gatewayUrl, EventMonetization, {
      variables: { eventId, from: today, to: today },
      token: await tokenFor('u-owner'),
    });
    expect(response.errors).toBeUndefined();
    return response.data.event.monetizationAnalytics;
  };

  /** Publishes facts the way the other subgraphs do: outbox rows committed with their change, relayed to Kafka. */
  const publishThroughOutbox = async (facts: [Parameters<typeof publishMonetizationEvent>[1], object][]) => {
    const em = stack.runtime.orm.em.fork();
    const envelopes = facts.map(([type, data]) => publishMonetizationEvent(em, type, { eventId, ...data }));
    await em.flush();
    return envelopes;
  };

  /** Sends raw values straight to the topic, keyed like the outbox so they stay in order with its messages. */
  const produce = (values: (string | Envelope)[]) =>
    producer.send({
      topic: MONETIZATION_TOPIC,
      messages: values.map((value) => ({ key: eventId, value: typeof value === 'string' ? value : JSON.stringify(value) })),
    });

  it('counts purchases, impressions and waitlist actions published through the outbox, each once even when delivered twice', async () => {
    const published = await publishThroughOutbox([
      ['OfferViewed', { offerId }],
      ['OfferViewed', { offerId }],
      ['OfferClicked', { offerId }],
      ['PurchaseCompleted', { offerId, userId: 'u-vip', quantity: 2, amountCents: 2500, currency: 'USD' }],
      ['AdImpression', { adId }],
      ['AdImpression', { adId }],
      ['AdClicked', { adId }],
      ['WaitlistJoined', { sessionId: 's-keynote', userId: 'u-guest' }],
      ['WaitlistOffered', { sessionId: 's-keynote', userId: 'u-guest' }],
      ['WaitlistAccepted', { sessionId: 's-keynote', userId: 'u-guest' }],
    ]);
    const expected = {
      revenue: { total: { amountCents: 2500, currency: 'USD', formatted: '$25.00' }, fromOffers: { amountCents: 2500, currency: 'USD', formatted: '$25.00' } },
      offerPerformance: [
        { offer: { id: offerId, title: 'Offer 1', price: { formatted: '$10.00' } }, views: 2, purchases: 1, unitsSold: 2, revenue: { amountCents: 2500, formatted: '$25.00' }, conversionRate: 0.5 },
      ],
      adPerformance: [{ ad: { id: adId, name: 'Ad 1' }, impressions: 2, clicks: 1, ctr: 0.5 }],
      waitlist: { joined: 1, offersSent: 1, accepted: 1, declined: 0, expired: 0, acceptanceRate: 1 },
      funnel: { offerViews: 2, offerClicks: 1, purchases: 1 },
    };
    await eventually(async () => JSON.stringify(await dashboard()) === JSON.stringify(expected), 25_000, 'the outbox facts in analytics');

    // The same purchase delivered twice more (a replay of the relayed message, and a new one produced twice),
    // then a fact through the outbox that, behind them in the partition, shows they have all been read.
    const purchase = published[3];
    const refund = monetizationEnvelope('PurchaseRefunded', { eventId, offerId, quantity: 1, amountCents: 1000, currency: 'USD' });
    await produce([purchase, refund, refund]);
    await publishThroughOutbox([['OfferViewed', { offerId }]]);
    await eventually(async () => (await dashboard()).funnel.offerViews === 3, 20_000, 'the fact behind the duplicates');

    const after = await dashboard();
    expect(after.offerPerformance[0]).toMatchObject({ purchases: 1, unitsSold: 1, revenue: { amountCents: 1500 } });
    expect(after.revenue.total.amountCents).toBe(1500);
    const stored = await stack.runtime.orm.em.fork().execute<{ id: string }[]>(
      `select id from monetization_events where id = any(?::text[])`,
      [`{${purchase.id},${refund.id}}`],
    );
    expect(stored).toHaveLength(2);

    // One live activity per stored fact, none for the duplicates.
    await eventually(() => activities.length >= 12, 5_000, 'live activity');
    await sleep(300);
    expect(activities).toHaveLength(12);
    expect(activities.filter((activity) => activity.kind === 'PurchaseCompleted')).toEqual([
      { eventId, kind: 'PurchaseCompleted', at: purchase.occurredAt, offerId, amountCents: 2500, currency: 'USD' },
    ]);
    expect(activities.filter((activity) => activity.kind === 'PurchaseRefunded')).toHaveLength(1);
  }, 30_000);

  it('skips malformed messages with a warning and goes on with the next ones', async () => {
    await produce([
      'not json at all',
      { id: 'x', type: 'PurchaseCompleted' } as unknown as Envelope,
      monetizationEnvelope('SomethingNew' as never, { eventId, offerId }),
      monetizationEnvelope('PurchaseCompleted', { eventId, offerId: 'not-a-uuid', amountCents: 100 }),
      monetizationEnvelope('PurchaseCompleted', { eventId, offerId, amountCents: -5 }),
      monetizationEnvelope('AdClicked', { eventId: '', adId }),
    ]);
    await publishThroughOutbox([['AdClicked', { adId }]]);
    await eventually(async () => (await dashboard()).adPerformance[0]?.clicks === 2, 20_000, 'the fact behind the malformed ones');
    const after = await dashboard();
    expect(after.revenue.total.amountCents).toBe(1500);
    expect(after.funnel.purchases).toBe(1);
  }, 30_000);
});
