import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createLogger } from '../../kernel/logger';
import { RateLimiter } from '../../kernel/rate-limit';
import type { Redis as AnyRedis } from '../../kernel/redis';
import { connectRedis, redisTargets } from '../support/redis-targets';
import { sleep } from '../support/timing';

describe.each(redisTargets())('per-user rate limits on %s', (_name, target) => {
  let redis: AnyRedis;
  let limiter: RateLimiter;
  beforeAll(async () => {
    redis = await connectRedis(target);
    limiter = new RateLimiter(redis, createLogger('silent'));
  });
  afterAll(() => redis.disconnect());

  it('allows the limit, refuses the next call with the time to wait, and counts users apart', async () => {
    const limit = { name: `purchase-${randomUUID()}`, limit: 3, windowMs: 60_000 };
    const verdicts = [];
    for (let i = 0; i < 4; i += 1) verdicts.push(await limiter.check(limit, 'u-1'));
    expect(verdicts.slice(0, 3).every((verdict) => verdict.allowed)).toBe(true);
    expect(verdicts[3]).toMatchObject({ allowed: false });
    const refused = verdicts[3] as { retryAfterMs: number };
    expect(refused.retryAfterMs).toBeGreaterThan(50_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(await limiter.check(limit, 'u-2')).toEqual({ allowed: true });
  });

  it('is atomic under concurrency: exactly the limit passes', async () => {
    const limit = { name: `join-${randomUUID()}`, limit: 10, windowMs: 60_000 };
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => limiter.check(limit, 'u-1')));
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(10);
  });

  it('opens a new window once the old one expires', async () => {
    const limit = { name: `track-${randomUUID()}`, limit: 1, windowMs: 200 };
    expect(await limiter.check(limit, 'u-1')).toEqual({ allowed: true });
    expect((await limiter.check(limit, 'u-1')).allowed).toBe(false);
    await sleep(300);
    expect(await limiter.check(limit, 'u-1')).toEqual({ allowed: true });
  });

  it('lets requests through when Redis is unreachable, rather than stopping purchases', async () => {
    const down = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    const verdict = await new RateLimiter(down, createLogger('silent')).check({ name: 'x', limit: 1, windowMs: 1000 }, 'u-1');
    expect(verdict).toEqual({ allowed: true });
    down.disconnect();
  });
});
