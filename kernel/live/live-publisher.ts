import type { Redis } from '../redis';

/** Publishes the messages of `LiveChannels` between processes; see kernel/contracts/live-channels.ts. */
export interface LiveEventPublisher {
  publish(channel: string, message: object): Promise<void>;
}

/** Publishes with Redis PUBLISH; errors are logged by the caller's logger and swallowed. */
export class RedisLivePublisher implements LiveEventPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async publish(channel: string, message: object): Promise<void> {
    try {
      await this.redis.publish(channel, JSON.stringify(message));
    } catch (error) {
      this.onError(error);
    }
  }
}
