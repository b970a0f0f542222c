import { counter } from './observability/metrics';
import type { Redis } from './redis';

const errors = counter({
  name: 'redis_errors_total',
  help: 'Errors of Redis connections (refused, reset, timed out), by connection role.',
  labelNames: ['connection'] as const,
});

/** Counts a Redis connection's errors under a fixed role name (`main`, `live`, `jobs`). */
export function countRedisErrors(redis: Pick<Redis, 'on'> | { on?: undefined }, connection: string): void {
  redis.on?.('error', () => errors.inc({ connection }));
}
