import { randomUUID } from 'node:crypto';
import { LiveChannels } from '../../kernel/contracts/live-channels';
import { createLogger } from '../../kernel/logger';
import { RedisLivePublisher } from '../../kernel/live/live-publisher';
import { RedisLiveSubscriber } from '../../kernel/live/subscriber';
import type { Redis } from '../../kernel/redis';
import { connectRedis, redisTargets } from '../support/redis-targets';
import { eventually, expectQuietFor } from '../support/timing';

/**
 * Live channels between processes: one subscriber connection and a separate publisher, as a gateway
 * replica and a subgraph replica hold them. On a cluster PUBLISH reaches the subscribers of every
 * node, whichever node the publisher's command lands on.
 */
describe.each(redisTargets())('live channels on %s', (_name, target) => {
  const logger = createLogger('silent');
  let publisherConnection: Redis;
  let subscriber: RedisLiveSubscriber;
  let publisher: RedisLivePublisher;
  const errors: unknown[] = [];

  beforeAll(async () => {
    publisherConnection = await connectRedis(target);
    // The hub's settings for its subscriber connection (kernel/live/hub.ts).
    subscriber = new RedisLiveSubscriber(
      await connectRedis(target, { enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, subscriber: true }),
      logger,
    );
    publisher = new RedisLivePublisher(publisherConnection, (error) => errors.push(error));
  });
  afterAll(() => {
    subscriber.dispose();
    publisherConnection.disconnect();
  });

  it('delivers each channel its own messages, for channels whose names hash to different slots', async () => {
    const sessions = Array.from({ length: 8 }, () => `s-${randomUUID()}`);
    const received = new Map<string, string[]>(sessions.map((session) => [session, []]));
    const listening = sessions.map((session) =>
      subscriber.listen(LiveChannels.waitlistSession(session), (message) => received.get(session)!.push(JSON.parse(message).n)),
    );
    await Promise.all(listening.map((held) => held.ready));
    expect(subscriber.stats()).toEqual({ channels: 8, listeners: 8 });

    for (const [index, session] of sessions.entries()) {
      await publisher.publish(LiveChannels.waitlistSession(session), { n: `${index}-1` });
      await publisher.publish(LiveChannels.waitlistSession(session), { n: `${index}-2` });
    }
    await eventually(() => [...received.values()].every((messages) => messages.length === 2), 10_000, 'every message');
    expect(sessions.map((session) => received.get(session))).toEqual(sessions.map((_, index) => [`${index}-1`, `${index}-2`]));
    expect(errors).toEqual([]);

    for (const held of listening) held.stop();
    expect(subscriber.stats()).toEqual({ channels: 0, listeners: 0 });
    await publisher.publish(LiveChannels.waitlistSession(sessions[0]), { n: 'after stop' });
    await expectQuietFor(300, () => received.get(sessions[0]));
  });
});
