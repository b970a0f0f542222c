import IORedis, { Cluster, type RedisOptions } from 'ioredis';
import type { Config } from './config';

/**
 * A connection to one Redis node or to a Redis Cluster; the two share their command API. Code that
 * names keys asks kernel/redis-keys.ts, which hash-tags them on a cluster (`isCluster`).
 */
export type Redis = IORedis | Cluster;

/** Where Redis is: `Config['redis']`, or a plain redis:// URL. Neither: the in-process stand-in. */
export type RedisTarget = Config['redis'] | string | undefined;

const settingsOf = (target: RedisTarget): Config['redis'] => (typeof target === 'string' ? { url: target } : (target ?? {}));

export interface ConnectOptions extends RedisOptions {
  /**
   * A connection for live subscriptions. On a cluster it subscribes with sharded pub/sub
   * (SSUBSCRIBE, one subscriber connection per master), see kernel/live/subscriber.ts.
   */
  subscriber?: boolean;
}

/** Whether the target is a real Redis (a node or a cluster) rather than the in-process stand-in. */
export function isRealRedis(target: RedisTarget): boolean {
  const settings = settingsOf(target);
  return Boolean(settings.url || settings.cluster);
}

/**
 * Connects to Redis (one node, or a cluster through ioredis's Cluster client), or on the embedded
 * default to an in-process Redis-compatible store (ioredis-mock). Commands fail fast instead of
 * queueing while Redis is unreachable, so callers can fail closed.
 */
export async function createRedis(target: RedisTarget, connectOptions: ConnectOptions = {}): Promise<Redis> {
  const settings = settingsOf(target);
  const { subscriber = false, ...options } = connectOptions;
  const nodeOptions: RedisOptions = {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    commandTimeout: 1000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
    ...options,
  };
  if (settings.cluster) {
    const { nodes, username, password, tls } = settings.cluster;
    const { enableOfflineQueue, lazyConnect, retryStrategy, ...perNode } = nodeOptions;
    return new Cluster(nodes, {
      enableOfflineQueue,
      lazyConnect,
      clusterRetryStrategy: retryStrategy,
      // A failover moves slots within cluster-node-timeout plus an election: retry redirected and
      // refused commands a few times rather than failing the first one, but never for long.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      retryDelayOnTryAgain: 100,
      maxRedirections: 16,
      slotsRefreshTimeout: 2000,
      shardedSubscribers: subscriber,
      redisOptions: { ...perNode, username, password, ...(tls ? { tls: {} } : {}) },
    });
  }
  if (!settings.url) {
    const { default: RedisMock } = await import('ioredis-mock');
    return new RedisMock() as unknown as Redis;
  }
  return new IORedis(settings.url, nodeOptions);
}

/**
 * Deletes every key of the database (of every master on a cluster, where FLUSHDB reaches only the
 * node it is sent to). For tests and the demo reset, never for serving.
 */
export async function flushAll(redis: Redis): Promise<void> {
  if (redis instanceof Cluster) {
    await Promise.all(redis.nodes('master').map((node) => node.flushdb()));
    return;
  }
  await redis.flushdb();
}
