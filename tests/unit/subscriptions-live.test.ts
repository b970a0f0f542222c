import { loadConfig } from '../../kernel/config';
import { LiveFeed, type FeedDefinition } from '../../kernel/live/feed';
import { createPushIterator } from '../../kernel/live/push-iterator';
import { withSubscriptions } from '../../kernel/live/subgraph-part';
import { RedisLiveSubscriber } from '../../kernel/live/subscriber';
import { createLogger } from '../../kernel/logger';
import { createRedis, type Redis } from '../../kernel/redis';
import type { Runtime } from '../../kernel/runtime';
import { sleep } from '../support/timing';

const logger = createLogger('silent');

describe('a push iterator', () => {
  it('ends at once when returned while its consumer waits, running its cleanup once', async () => {
    const onEnd = jest.fn();
    const iterator = createPushIterator<number>({ onEnd });
    const pending = iterator.next();
    await iterator.return(undefined);
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    iterator.end();
    await iterator.return(undefined);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('hands queued values out before an error that ends it', async () => {
    const iterator = createPushIterator<number>();
    iterator.push(1);
    iterator.end(new Error('gone'));
    await expect(iterator.next()).resolves.toEqual({ value: 1, done: false });
    await expect(iterator.next()).rejects.toThrow('gone');
    await expect(iterator.next()).resolves.toEqual({ value: undefined, done: true });
  });

  it('drops the oldest values beyond its buffer', async () => {
    const iterator = createPushIterator<number>({ maxBuffered: 2 });
    for (const value of [1, 2, 3]) iterator.push(value);
    await expect(iterator.next()).resolves.toEqual({ value: 2, done: false });
  });
});

describe('a live feed', () => {
  let publisher: Redis;
  let subscriber: RedisLiveSubscriber;
  const flushes: { key: string; total: number; at: number }[] = [];
  let flushDelayMs = 0;

  // Sums the numbers published on `numbers:<key>` per window.
  const definition: FeedDefinition<number, { total: number }, { key: string; total: number }> = {
    name: 'numbers',
    channel: (key) => `numbers:${key}`,
    parse: (message) => (typeof message === 'number' ? message : undefined),
    coalesce: true,
    startBatch: () => ({ total: 0 }),
    addToBatch: (batch, value) => {
      batch.total += value;
    },
    flush: async (key, batch) => {
      flushes.push({ key, total: batch.total, at: Date.now() });
      await sleep(flushDelayMs);
      return [{ key, total: batch.total }];
    },
  };
  const runtime = { config: { subscriptions: { windowMs: 150 } }, logger } as unknown as Runtime;

  beforeEach(async () => {
    flushes.length = 0;
    flushDelayMs = 0;
    publisher = await createRedis(undefined);
    subscriber = new RedisLiveSubscriber(await createRedis(undefined), logger);
  });
  afterEach(() => subscriber.dispose());

  const publish = (key: string, message: unknown) => publisher.publish(`numbers:${key}`, JSON.stringify(message));

  it('sends one message per window for a burst, computed once for all its subscribers', async () => {
    const feed = new LiveFeed(definition, subscriber, runtime);
    const first = feed.subscribe('a');
    const second = feed.subscribe('a');
    for (const value of [1, 2, 3, 4]) await publish('a', value);
    await expect(first.next()).resolves.toEqual({ value: { key: 'a', total: 10 }, done: false });
    await expect(second.next()).resolves.toEqual({ value: { key: 'a', total: 10 }, done: false });
    expect(flushes).toHaveLength(1);
    await first.return(undefined);
    await second.return(undefined);
  });

  it('keeps flushes of a key at least a window apart, even when a flush is slow', async () => {
    flushDelayMs = 100;
    const feed = new LiveFeed(definition, subscriber, runtime);
    const stream = feed.subscribe('a');
    await publish('a', 1);
    await sleep(200);
    await publish('a', 2);
    await publish('a', 3);
    await stream.next();
    await expect(stream.next()).resolves.toEqual({ value: { key: 'a', total: 5 }, done: false });
    expect(flushes[1].at - flushes[0].at).toBeGreaterThanOrEqual(150);
    await stream.return(undefined);
  });

  it('drops malformed messages and filters per subscriber', async () => {
    const feed = new LiveFeed(definition, subscriber, runtime);
    const all = feed.subscribe('a');
    const large = feed.subscribe('a', (message) => message.total > 100);
    await publisher.publish('numbers:a', 'not json');
    await publish('a', 'not a number');
    await publish('a', 7);
    await expect(all.next()).resolves.toEqual({ value: { key: 'a', total: 7 }, done: false });
    await publish('a', 700);
    await expect(large.next()).resolves.toEqual({ value: { key: 'a', total: 700 }, done: false });
    await all.return(undefined);
    await large.return(undefined);
  });

  it('shares one Redis subscription per key and drops it, with its timer, when the last subscriber leaves', async () => {
    const feed = new LiveFeed(definition, subscriber, runtime);
    const streams = [feed.subscribe('a'), feed.subscribe('a'), feed.subscribe('b')];
    expect(subscriber.stats()).toEqual({ channels: 2, listeners: 2 });
    await publish('a', 1);
    await sleep(20);
    expect(feed.stats()).toEqual({ keys: 2, listeners: 3, timers: 1 });
    for (const stream of streams) await stream.return(undefined);
    expect(feed.stats()).toEqual({ keys: 0, listeners: 0, timers: 0 });
    expect(subscriber.stats()).toEqual({ channels: 0, listeners: 0 });
    await sleep(200);
    expect(flushes).toEqual([]);
  });
});

describe('merging subscriptions into a subgraph definition', () => {
  it("fills gaps type by type and field by field, never overriding the subgraph's own resolvers or rules", () => {
    const ownRule = { name: 'own' };
    const partRule = { name: 'part' };
    const formatted = () => 'own';
    const merged = withSubscriptions(
      { resolvers: { Money: { formatted } }, permissions: { Query: { a: ownRule }, Money: ownRule } as never },
      {
        resolvers: { Money: { formatted: () => 'part', other: () => 1 }, Subscription: { s: {} } },
        permissions: { Query: { a: partRule, b: partRule }, Money: partRule, Subscription: { s: partRule } } as never,
      },
    );
    expect((merged.resolvers as any).Money.formatted).toBe(formatted);
    expect((merged.resolvers as any).Money.other).toBeDefined();
    expect((merged.resolvers as any).Subscription).toBeDefined();
    expect(merged.permissions).toEqual({ Query: { a: ownRule, b: partRule }, Money: ownRule, Subscription: { s: partRule } });
  });
});

describe('subscription settings', () => {
  it('default to a one-second window and bounded sockets, and name a bad variable', () => {
    expect(loadConfig({}).subscriptions).toEqual({
      windowMs: 1000,
      requireAuth: false,
      connectionInitTimeoutMs: 3000,
      keepAliveMs: 12_000,
      maxPayloadBytes: 65_536,
      maxPerConnection: 100,
      maxEventBytes: 1_048_576,
      maxSockets: 10_000,
      maxSocketsPerCaller: 20,
      maxSubscriptions: 50_000,
      maxSubscriptionsPerCaller: 200,
    });
    expect(loadConfig({ SUBSCRIPTION_WINDOW_MS: '250', WS_REQUIRE_AUTH: 'true' }).subscriptions).toMatchObject({ windowMs: 250, requireAuth: true });
    expect(() => loadConfig({ WS_MAX_PAYLOAD_BYTES: '10' })).toThrow(/WS_MAX_PAYLOAD_BYTES/);
  });
});
