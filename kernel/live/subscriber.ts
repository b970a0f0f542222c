import type { Logger } from '../logger';
import type { Redis } from '../redis';

export type ChannelListener = (message: string) => void;

export interface SubscriberStats {
  /** Channels this process is SUBSCRIBEd to. */
  channels: number;
  /** Listeners over all channels. */
  listeners: number;
}

/**
 * The one Redis pub/sub connection of a process. Channels are reference counted: the first
 * listener of a channel SUBSCRIBEs, the last one to leave UNSUBSCRIBEs, so a thousand dashboards
 * on one session cost one subscription, and none is left behind when they go.
 *
 * Commands on one connection run in order, so a SUBSCRIBE/UNSUBSCRIBE/SUBSCRIBE burst ends in the
 * state of the last one; ioredis re-subscribes the current channels after a reconnect.
 */
export class RedisLiveSubscriber {
  private readonly channels = new Map<string, Set<ChannelListener>>();
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {
    redis.on('message', this.onMessage);
  }

  /** Calls `listener` with each message of `channel` until the returned function is called. */
  listen(channel: string, listener: ChannelListener): () => void {
    if (this.closed) return () => undefined;
    let listeners = this.channels.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.channels.set(channel, listeners);
      this.redis.subscribe(channel).catch((error: unknown) => this.logger.warn({ err: error, channel }, 'redis subscribe failed'));
    }
    listeners.add(listener);
    const current = listeners;
    let listening = true;
    return () => {
      if (!listening) return;
      listening = false;
      current.delete(listener);
      if (current.size > 0 || this.channels.get(channel) !== current) return;
      this.channels.delete(channel);
      if (this.closed) return;
      this.redis.unsubscribe(channel).catch((error: unknown) => this.logger.warn({ err: error, channel }, 'redis unsubscribe failed'));
    };
  }

  stats(): SubscriberStats {
    let listeners = 0;
    for (const set of this.channels.values()) listeners += set.size;
    return { channels: this.channels.size, listeners };
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    this.redis.off('message', this.onMessage);
    this.redis.disconnect();
  }

  private readonly onMessage = (channel: string, message: string) => {
    const listeners = this.channels.get(channel);
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(message);
      } catch (error) {
        this.logger.error({ err: error, channel }, 'live listener failed');
      }
    }
  };
}
