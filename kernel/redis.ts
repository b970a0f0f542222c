import Redis, { type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * Connects to Redis, or on the embedded default to an in-process Redis-compatible store
 * (ioredis-mock). Commands fail fast instead of queueing while Redis is unreachable, so callers
 * can fail closed.
 */
export async function createRedis(url: string | undefined, options: RedisOptions = {}): Promise<Redis> {
  if (!url) {
    const { default: RedisMock } = await import('ioredis-mock');
    return new RedisMock() as unknown as Redis;
  }
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
    commandTimeout: 1000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
    ...options,
  });
}
