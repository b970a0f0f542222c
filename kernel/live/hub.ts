import { GraphQLError } from 'graphql';
import { createRedis } from '../redis';
import { countRedisErrors } from '../redis-metrics';
import type { Runtime } from '../runtime';
import { LiveFeed, type FeedDefinition, type FeedStats } from './feed';
import { SnapshotFeed, type SnapshotFeedDefinition } from './snapshot-feed';
import { RedisLiveSubscriber, type SubscriberStats } from './subscriber';

export interface LiveStats {
  redis: SubscriberStats;
  feeds: Record<string, FeedStats>;
}

/**
 * The live side of one process: its single Redis subscriber connection and the feeds built on it
 * (one per kind of update, shared by every subscriber of every subgraph the process serves).
 */
export class LiveHub {
  private readonly feeds = new Map<string, { stats(): FeedStats; dispose(): void }>();

  constructor(
    readonly runtime: Runtime,
    private readonly subscriber: RedisLiveSubscriber,
  ) {}

  /** The process's feed of a definition, created on first use. */
  feed<TChange, TBatch, TMessage>(definition: FeedDefinition<TChange, TBatch, TMessage>): LiveFeed<TChange, TBatch, TMessage> {
    let feed = this.feeds.get(definition.name);
    if (!feed) {
      feed = new LiveFeed(definition, this.subscriber, this.runtime);
      this.feeds.set(definition.name, feed);
    }
    return feed as LiveFeed<TChange, TBatch, TMessage>;
  }

  /** The process's snapshot feed of a definition (subscribers begin with the current state), created on first use. */
  snapshotFeed<TChange, TRead, TState, TMessage>(
    definition: SnapshotFeedDefinition<TChange, TRead, TState, TMessage>,
  ): SnapshotFeed<TChange, TRead, TState, TMessage> {
    let feed = this.feeds.get(definition.name);
    if (!feed) {
      feed = new SnapshotFeed(definition, this.subscriber, this.runtime);
      this.feeds.set(definition.name, feed);
    }
    return feed as SnapshotFeed<TChange, TRead, TState, TMessage>;
  }

  /** Channels, listeners and timers in use: what must return to zero when subscribers leave. */
  stats(): LiveStats {
    return {
      redis: this.subscriber.stats(),
      feeds: Object.fromEntries([...this.feeds].map(([name, feed]) => [name, feed.stats()])),
    };
  }

  dispose(): void {
    for (const feed of this.feeds.values()) feed.dispose();
    this.subscriber.dispose();
  }
}

const hubs = new WeakMap<Runtime, LiveHub>();

/**
 * The runtime's hub, opening its Redis subscriber connection on first use and closing it on the
 * runtime's shutdown. A subscriber connection cannot run other commands, hence its own connection;
 * it queues commands while reconnecting so that subscriptions resume.
 */
export async function liveHubOf(runtime: Runtime): Promise<LiveHub> {
  const existing = hubs.get(runtime);
  if (existing) return existing;
  const redis = await createRedis(runtime.config.redis, {
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    commandTimeout: undefined,
    subscriber: true,
  });
  redis.on?.('error', (error: Error) => runtime.logger.warn({ err: error }, 'live redis connection error'));
  countRedisErrors(redis, 'live');
  const raced = hubs.get(runtime);
  if (raced) {
    redis.disconnect();
    return raced;
  }
  const hub = new LiveHub(runtime, new RedisLiveSubscriber(redis, runtime.logger.child({ component: 'live' })));
  hubs.set(runtime, hub);
  runtime.shutdown.register('live subscriptions', () => hub.dispose());
  return hub;
}

const LIVE_HUB = Symbol('live hub');

/** Puts the hub in a subscription's GraphQL context (the subgraph's graphql-ws server does). */
export function withLiveHub<T extends object>(context: T, hub: LiveHub): T {
  return Object.assign(context, { [LIVE_HUB]: hub });
}

/** The hub of a subscription's context; only operations served over graphql-ws have one. */
export function liveHubFrom(context: object): LiveHub {
  const hub = (context as { [LIVE_HUB]?: LiveHub })[LIVE_HUB];
  if (!hub) {
    throw new GraphQLError('Subscriptions are served over graphql-ws on /graphql.', { extensions: { code: 'BAD_REQUEST' } });
  }
  return hub;
}
