import type { Redis } from '../redis';

/** Publishes the messages of `LiveChannels` between processes; see kernel/contracts/live-channels.ts. */
export interface LiveEventPublisher {
  publish(channel: string, message: object): Promise<void>;
}

/**
 * Publishes with Redis PUBLISH, on a cluster with SPUBLISH (routed to the master of the channel's
 * slot, so one channel's messages keep their order; see RedisLiveSubscriber); errors are logged by
 * the caller's logger and swallowed.
 */
export class RedisLivePublisher implements LiveEventPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async publish(channel: string, message: object): Promise<void> {
    try {
      const text = JSON.stringify(message);
      await (this.redis.isCluster ? this.redis.spublish(channel, text) : this.redis.publish(channel, text));
    } catch (error) {
      this.onError(error);
    }
  }
}
