import { randomUUID } from 'node:crypto';
import { enqueueMessage } from '../../kernel/outbox/outbox';
import { OutboxMessage } from '../../kernel/outbox/entities';
import { collectTopic, startBroker, stopBroker } from '../support/kafka';
import { eventually } from '../support/timing';
import { startStack, type TestStack } from '../support/stack';

jest.setTimeout(180_000);

describe('the transactional outbox on real PostgreSQL and Kafka', () => {
  let stack: TestStack;
  const topic = `test.outbox.${randomUUID()}`;

  beforeAll(async () => {
    stack = await startStack({ kafka: true, workers: false, gateway: false, subgraphs: [] });
  });
  afterAll(async () => {
    startBroker();
    await stack.close();
  });

  const write = (n: number) =>
    stack.runtime.orm.em.fork().transactional(async (em) => {
      return enqueueMessage(em, { topic, key: `order-${n}`, type: 'TestHappened', data: { n } });
    });
  const pending = () => stack.runtime.orm.em.fork().count(OutboxMessage, { topic, sentAt: null });

  it('commits a message with the domain write and delivers it to Kafka with its envelope and key', async () => {
    const envelope = await write(1);
    expect(await pending()).toBe(1);
    expect(await stack.runtime.relay.drain()).toBe(1);
    expect(await pending()).toBe(0);

    const received = await collectTopic(topic);
    try {
      await eventually(() => received.envelopes.length >= 1, 30_000, 'the message on Kafka');
      expect(received.envelopes[0]).toEqual(envelope);
      expect(received.keys[0]).toBe('order-1');
      expect(received.envelopes[0]).toMatchObject({ type: 'TestHappened', data: { n: 1 } });
      expect(Number.isNaN(Date.parse(received.envelopes[0].occurredAt))).toBe(false);
    } finally {
      await received.stop();
    }
  });

  it('writes nothing when the domain transaction rolls back', async () => {
    await expect(
      stack.runtime.orm.em.fork().transactional(async (em) => {
        enqueueMessage(em, { topic, key: 'order-x', type: 'TestHappened', data: { n: -1 } });
        await em.flush();
        throw new Error('the domain write failed');
      }),
    ).rejects.toThrow('the domain write failed');
    expect(await stack.runtime.orm.em.fork().count(OutboxMessage, { topic, messageKey: 'order-x' })).toBe(0);
  });

  it('keeps messages while the broker is down and delivers them once it returns', async () => {
    stopBroker();
    const second = await write(2);
    const third = await write(3);
    expect(await stack.runtime.relay.runOnce()).toBe(0);
    const waiting = await stack.runtime.orm.em.fork().find(OutboxMessage, { topic, sentAt: null });
    expect(waiting.map((message) => message.payload.id).sort()).toEqual([second.id, third.id].sort());
    expect(waiting.every((message) => message.attempts >= 1 && message.lastError)).toBe(true);

    startBroker();
    await eventually(async () => (await stack.runtime.relay.runOnce(), (await pending()) === 0), 90_000, 'the outbox to drain');

    const received = await collectTopic(topic);
    try {
      await eventually(() => received.envelopes.length >= 3, 30_000, 'all three messages on Kafka');
      // Three keys on a partitioned topic: order holds per key only, so compare them as a set.
      const delivered = received.envelopes.map((envelope) => (envelope.data as { n: number }).n);
      expect(delivered.sort((a, b) => a - b)).toEqual([1, 2, 3]);
    } finally {
      await received.stop();
    }
  });
});
