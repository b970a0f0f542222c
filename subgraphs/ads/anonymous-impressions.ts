import type { Logger } from '../../kernel/logger';
import type { Redis } from '../../kernel/redis';
import { redisKeysOf } from '../../kernel/redis-keys';

/**
 * Counts an anonymous viewer's impressions of an ad once per window. Signed-in viewers are
 * counted by user; anonymous ones had nothing to count them by, so one client sending 600
 * impressions a minute inflated an ad's figures at will (issue 23). The viewer is the caller's
 * address as the gateway signed it; a repeat inside the window is acknowledged but not recorded.
 */
export class AnonymousImpressions {
  private warnedAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly windowMs: number,
    private readonly logger: Logger,
  ) {}

  /** True when this impression is the viewer's first of the ad in the window, so it counts. */
  async firstInWindow(viewer: string, adId: string): Promise<boolean> {
    if (this.windowMs === 0) return true;
    try {
      return (await this.redis.set(redisKeysOf(this.redis).anonymousImpression(adId, viewer), '1', 'PX', this.windowMs, 'NX')) === 'OK';
    } catch (error) {
      // Like the rate limiter: an outage must not stop tracking; the per-address budget still holds.
      if (Date.now() - this.warnedAt > 60_000) {
        this.warnedAt = Date.now();
        this.logger.warn({ err: error }, 'anonymous impression dedupe unavailable; counting every impression');
      }
      return true;
    }
  }
}
