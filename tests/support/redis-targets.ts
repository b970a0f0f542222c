import { loadConfig } from '../../kernel/config';
import { createRedis, flushAll, type Redis, type RedisTarget } from '../../kernel/redis';

/**
 * The two Redis deployments the Redis-facing suites run against: the single node and the
 * three-master cluster that `npm test` starts (scripts/services/redis-cluster.sh), for
 * `describe.each(redisTargets())`. A missing variable fails the suite rather than skipping the cluster.
 */
export function redisTargets(): [name: string, target: RedisTarget][] {
  return [
    ['a single Redis node', singleNodeTarget()],
    ['a Redis Cluster', clusterTarget()],
  ];
}

export function singleNodeTarget(): RedisTarget {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: run the tests with `npm test`, which starts the services.');
  return { url };
}

export function clusterTarget(): RedisTarget {
  const nodes = process.env.REDIS_CLUSTER_NODES_TEST;
  if (!nodes) throw new Error('REDIS_CLUSTER_NODES_TEST is not set: run the tests with `npm test`, which starts the Redis Cluster.');
  // The same parsing and validation as a deployment's REDIS_CLUSTER_NODES.
  return loadConfig({ REDIS_CLUSTER_NODES: nodes }).redis;
}

/** The kernel's client on a target, once it is ready for commands (it fails fast, not queueing, before). */
export async function connectRedis(target: RedisTarget, options: Parameters<typeof createRedis>[1] = {}): Promise<Redis> {
  const redis = await createRedis(target, options);
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      redis.once('ready', () => resolve());
      setTimeout(() => reject(new Error(`Redis not ready after 10 s (${JSON.stringify(target)})`)), 10_000).unref();
    });
  }
  return redis;
}

/** A ready client on an emptied target. */
export async function emptyRedis(target: RedisTarget, options: Parameters<typeof createRedis>[1] = {}): Promise<Redis> {
  const redis = await connectRedis(target, options);
  await flushAll(redis);
  return redis;
}
