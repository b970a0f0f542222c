import { KafkaBus } from '../../kernel/events/kafka-bus';
import type { Envelope } from '../../kernel/events/envelope';
import { OutboxRelay } from '../../kernel/outbox/relay';
import { pgArray } from '../../kernel/db/sql';
import type { WaitlistOfferSentData } from '../../subgraphs/waitlist/notifications';
import { collectTopic } from '../support/kafka';
import { eventually, sleep } from '../support/timing';
import { startStack, type TestStack } from '../support/stack';
import { addAttendees, addSession, asUser, ExtraWaitlistOps, resetWaitlist, testOfferTokens, WaitlistOps } from '../support/waitlist';

jest.setTimeout(60_000);

const TOPIC = 'waitlist.offers.v1';

/** Joins `count` new attendees to a new closed session; returns their ids and entry ids in join order. */
async function closedLine(stack: TestStack, sessionId: string, count: number) {
  await addSession(stack.runtime.orm, 'ev-private', sessionId, 0);
  const users = await addAttendees(stack.runtime.orm, 'ev-private', sessionId, count);
  const entryIds: string[] = [];
  for (const userId of users) {
    const response = await asUser(stack, userId)(WaitlistOps.JoinWaitlist, { sessionId });
    expect(response.errors).toBeUndefined();
    entryIds.push(response.data.joinWaitlist.id);
  }
  return { users, entryIds };
}

/** The WaitlistOfferSent messages on the real topic for these entries, once `expected` have arrived and a moment has passed for strays. */
async function offersOnKafka(entryIds: string[], expected: number) {
  const wanted = new Set(entryIds);
  const topic = await collectTopic(TOPIC);
  try {
    const mine = () =>
      topic.envelopes
        .map((envelope, index) => ({ envelope: envelope as Envelope<WaitlistOfferSentData>, key: topic.keys[index] }))
        .filter(({ envelope }) => wanted.has(envelope.data?.entryId));
    await eventually(() => mine().length >= expected, 30_000, `${expected} offer messages on ${TOPIC}`);
    // A duplicate would arrive right behind the original: give it the chance to.
    await sleep(1000);
    return mine();
  } finally {
    await topic.stop();
  }
}

function expectWellFormed(message: { envelope: Envelope<WaitlistOfferSentData>; key: string | null }, userId: string, sessionId: string) {
  const { envelope, key } = message;
  expect(envelope).toMatchObject({ id: expect.any(String), type: 'WaitlistOfferSent', occurredAt: expect.any(String) });
  expect(key).toBe(envelope.data.entryId);
  expect(envelope.data).toMatchObject({
    userId,
    email: `${userId}@example.com`,
    name: `Attendee ${userId}`,
    eventId: 'ev-private',
    sessionId,
    title: `Session ${sessionId}`,
    startsAt: '2026-12-03T10:00:00.000Z',
    offerToken: expect.any(String),
  });
  const claims = testOfferTokens().verify(envelope.data.offerToken);
  expect(claims).toMatchObject({ entryId: envelope.data.entryId, sessionId });
  expect(claims!.expiresAt.toISOString()).toBe(envelope.data.expiresAt);
  expect(Date.parse(envelope.data.expiresAt) - Date.parse(envelope.occurredAt)).toBe(30 * 60_000);
}

describe('waitlist offer notifications on the real Kafka topic', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ kafka: true, workers: true });
    await resetWaitlist(stack);
  });
  afterAll(() => stack.close());

  it('publishes exactly one well-formed WaitlistOfferSent per single, bulk and automatic offer', async () => {
    const sessionId = `s-notify-${Date.now()}`;
    const { users, entryIds } = await closedLine(stack, sessionId, 6);
    const owner = asUser(stack, 'u-owner');
    // Automatic: a new seat goes to the first in line.
    expect((await owner(WaitlistOps.UpdateSessionCapacity, { sessionId, total: 1 })).errors).toBeUndefined();
    // Three more seats held for the organizer: one single offer, then a bulk send of two.
    expect((await owner(ExtraWaitlistOps.HoldSeats, { sessionId, total: 4 })).errors).toBeUndefined();
    expect((await owner(WaitlistOps.SendWaitlistOffer, { entryId: entryIds[3] })).errors).toBeUndefined();
    const bulk = await owner(WaitlistOps.BulkSendWaitlistOffers, { sessionId, count: 2 });
    expect(bulk.data.bulkSendWaitlistOffers.map((entry: { id: string }) => entry.id)).toEqual([entryIds[1], entryIds[2]]);
    // Automatic: the first offer's holder leaves, the next in line gets the seat.
    expect((await asUser(stack, users[0])(WaitlistOps.LeaveWaitlist, { sessionId })).data.leaveWaitlist).toBe(true);

    const offered = [0, 3, 1, 2, 4];
    const messages = await offersOnKafka(entryIds, offered.length);
    expect(messages.map(({ envelope }) => envelope.data.entryId).sort()).toEqual(offered.map((i) => entryIds[i]).sort());
    expect(new Set(messages.map(({ envelope }) => envelope.id)).size).toBe(offered.length);
    for (const message of messages) {
      const index = entryIds.indexOf(message.envelope.data.entryId);
      expectWellFormed(message, users[index], sessionId);
    }
    expect(Object.fromEntries(messages.map(({ envelope }) => [envelope.data.entryId, envelope.data.via]))).toEqual({
      [entryIds[0]]: 'AUTOMATIC',
      [entryIds[3]]: 'SINGLE',
      [entryIds[1]]: 'BULK',
      [entryIds[2]]: 'BULK',
      [entryIds[4]]: 'AUTOMATIC',
    });

    // The token the notification carries takes the seat.
    const single = messages.find(({ envelope }) => envelope.data.entryId === entryIds[3])!;
    const accepted = await asUser(stack, users[3])(WaitlistOps.AcceptWaitlistOffer, { token: single.envelope.data.offerToken });
    expect(accepted.data.acceptWaitlistOffer).toEqual({ id: entryIds[3], status: 'ACCEPTED' });

    // And analytics hears of each step on monetization.events.v1.
    const facts = await stack.runtime.orm.em.fork().execute<{ type: string; count: string }[]>(
      `select payload->>'type' as type, count(*) from outbox_messages
        where topic = 'monetization.events.v1' and payload->'data'->>'sessionId' = ? group by 1 order by 1`,
      [sessionId],
    );
    expect(Object.fromEntries(facts.map((fact) => [fact.type, Number(fact.count)]))).toEqual({
      WaitlistAccepted: 1,
      WaitlistDeclined: 1,
      WaitlistJoined: 6,
      WaitlistOffered: 5,
    });
  });
});

describe('waitlist offers while Kafka is unreachable', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ kafka: true, workers: true, env: { KAFKA_BROKERS: '127.0.0.1:1' } });
    await resetWaitlist(stack);
  });
  afterAll(() => stack.close());

  it('answers every mutation at once and delivers the offers once a relay reaches the broker', async () => {
    const sessionId = `s-offline-${Date.now()}`;
    const { entryIds } = await closedLine(stack, sessionId, 3);
    const owner = asUser(stack, 'u-owner');
    expect((await owner(WaitlistOps.UpdateSessionCapacity, { sessionId, total: 1 })).errors).toBeUndefined();
    expect((await owner(ExtraWaitlistOps.HoldSeats, { sessionId, total: 3 })).errors).toBeUndefined();
    expect((await owner(WaitlistOps.SendWaitlistOffer, { entryId: entryIds[1] })).errors).toBeUndefined();
    expect((await owner(WaitlistOps.BulkSendWaitlistOffers, { sessionId, count: 1 })).errors).toBeUndefined();
    // Every mutation answered without the broker: the offers wait in the outbox (checked below);
    // how fast that is belongs to a benchmark, not to this test.

    const orm = stack.runtime.orm;
    const pending = async () =>
      orm.em.fork().execute<{ attempts: number }[]>(
        `select attempts from outbox_messages where topic = ? and message_key = any(?::text[]) and sent_at is null`,
        [TOPIC, pgArray(entryIds)],
      );
    // The stack's own relay keeps trying and failing: the messages wait in the outbox.
    await eventually(async () => (await pending()).every((row) => row.attempts >= 1), 20_000, 'a failed publish attempt');
    expect(await pending()).toHaveLength(3);
    await stack.runtime.relay.dispose();

    // The broker is back: a relay that reaches it delivers what waited.
    const bus = new KafkaBus({ brokers: process.env.KAFKA_BROKERS!.split(','), clientId: 'waitlist-test', logger: stack.runtime.logger });
    const relay = new OutboxRelay({ orm, bus, logger: stack.runtime.logger, pollMs: 50 });
    try {
      await eventually(async () => (await relay.runOnce(), (await pending()).length === 0), 40_000, 'the outbox to drain');
    } finally {
      await bus.dispose();
    }
    const messages = await offersOnKafka(entryIds, 3);
    expect(messages.map(({ envelope }) => envelope.data.entryId).sort()).toEqual([...entryIds].sort());
  });
});
