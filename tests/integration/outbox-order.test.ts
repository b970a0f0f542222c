import { randomUUID } from 'node:crypto';
import { enqueueMessage } from '../../kernel/outbox/outbox';
import { collectTopic } from '../support/kafka';
import { eventually } from '../support/timing';
import { startStack, type TestStack } from '../support/stack';

jest.setTimeout(60_000);

describe('the outbox relay keeps the order of each key', () => {
  let stack: TestStack;
  const topic = `test.outbox-order.${randomUUID()}`;

  beforeAll(async () => {
    stack = await startStack({ kafka: true, workers: false, gateway: false, subgraphs: [] });
  });
  afterAll(() => stack.close());

  const write = (key: string, n: number) =>
    stack.runtime.orm.em.fork().transactional(async (em) => enqueueMessage(em, { topic, key, type: 'TestHappened', data: { n } }));
  const sql = (text: string, params: unknown[] = []) => stack.runtime.orm.em.fork().execute(text, params);

  it('holds back newer messages of a key whose oldest waits out a backoff, and sends the other keys', async () => {
    const first = await write('order-1', 1);
    await write('order-1', 2);
    await write('order-2', 3);
    await sql(`update outbox_messages set available_at = now() + interval '1 hour' where payload->>'id' = ?`, [first.id]);

    expect(await stack.runtime.relay.runOnce()).toBe(1);
    const received = await collectTopic(topic);
    try {
      // Only the other key went out; the topic has several partitions, so order is per key.
      await eventually(() => received.envelopes.length >= 1, 30_000, 'the other key\'s message');
      expect(received.envelopes.map((envelope) => envelope.data)).toEqual([{ n: 3 }]);

      await sql(`update outbox_messages set available_at = now() where payload->>'id' = ?`, [first.id]);
      expect(await stack.runtime.relay.drain()).toBe(2);
      await eventually(() => received.envelopes.length >= 3, 30_000, 'the three messages');
      const ofKey = (key: string) => received.envelopes.filter((_, index) => received.keys[index] === key).map((envelope) => envelope.data);
      expect(ofKey('order-1')).toEqual([{ n: 1 }, { n: 2 }]);
      expect(ofKey('order-2')).toEqual([{ n: 3 }]);
    } finally {
      await received.stop();
    }
  });

  it('lets one relay pass run at a time across processes', async () => {
    await write('order-3', 4);
    const holder = stack.runtime.orm.em.fork();
    await holder.transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(7284115001)`);
      // Another replica's relay, while this one holds the lock: it sends nothing.
      expect(await stack.runtime.relay.runOnce()).toBe(0);
    });
    expect(await stack.runtime.relay.drain()).toBe(1);
  });
});
