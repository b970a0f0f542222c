import { GraphQLError } from 'graphql';
import type { Logger } from './logger';
import { counter } from './observability/metrics';
import type { Redis } from './redis';
import { redisKeysOf } from './redis-keys';

/**
 * Counts a hit and answers in one atomic step: the first hit of a window starts its expiry, a hit
 * over the limit returns the time left in the window.
 */
const FIXED_WINDOW = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if count > tonumber(ARGV[1]) then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
  return {0, ttl}
end
return {1, 0}
`;

export interface RateLimit {
  /** Names the limited action in the Redis key, e.g. `purchase`. */
  name: string;
  limit: number;
  windowMs: number;
}

/** The actions limited per user, each with its own budget (see `rateLimits` in kernel/config.ts). */
export type LimitedAction = 'purchase' | 'join' | 'track' | 'export';

const refusals = counter({
  name: 'rate_limit_refusals_total',
  help: 'Actions refused because the caller was over its budget, by budget (purchase, join, track, export, ...).',
  labelNames: ['budget'] as const,
});
const unavailable = counter({
  name: 'rate_limit_unavailable_total',
  help: 'Budget checks that could not reach Redis and let the action through.',
});

export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Per-user limits on actions that cost money or write, one Lua script (one round trip) per check. */
export class RateLimiter {
  private warnedAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly budgets: Partial<Record<LimitedAction, { limit: number; windowMs: number }>> = {},
  ) {}

  /** Checks a named action against its configured budget; an action without one is not limited. */
  async checkAction(action: LimitedAction, subject: string): Promise<RateLimitVerdict> {
    const budget = this.budgets[action];
    return budget ? this.check({ name: action, ...budget }, subject) : { allowed: true };
  }

  async check(limit: RateLimit, subject: string): Promise<RateLimitVerdict> {
    try {
      const [allowed, retryAfterMs] = (await this.redis.eval(
        FIXED_WINDOW,
        1,
        redisKeysOf(this.redis).rateLimit(limit.name, subject),
        String(limit.limit),
        String(limit.windowMs),
      )) as [number, number];
      if (allowed === 1) return { allowed: true };
      refusals.inc({ budget: limit.name });
      return { allowed: false, retryAfterMs: Math.max(0, Number(retryAfterMs)) };
    } catch (error) {
      unavailable.inc();
      // Failing open: the action's own rules (atomic inventory, capacity, dedupe) still hold, and a
      // Redis outage must not stop purchases. Warn at most once a minute.
      if (Date.now() - this.warnedAt > 60_000) {
        this.warnedAt = Date.now();
        this.logger.warn({ err: error, limit: limit.name }, 'rate limiter unavailable; allowing requests');
      }
      return { allowed: true };
    }
  }
}

/** The error a client gets when it is over a limit: code RATE_LIMITED with the seconds to wait. */
export function rateLimited(retryAfterMs: number): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new GraphQLError(`Too many requests; try again in ${retryAfterSeconds} s.`, {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds },
  });
}
