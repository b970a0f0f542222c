import type { Logger } from '../logger';
import type { Redis } from '../redis';

export type ChannelListener = (message: string) => void;

/** A listener's hold on a channel. */
export interface Listening {
  /**
   * Settles once Redis has confirmed the SUBSCRIBE (or refused it, which is logged): from then on
   * every message published on the channel reaches the listener. A snapshot is read after this,
   * so that no change committed after the read can be published before the listener hears it.
   */
  ready: Promise<void>;
  stop(): void;
}

interface Channel {
  listeners: Set<ChannelListener>;
  ready: Promise<void>;
}

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
 *
 * On a Redis Cluster channels are sharded (SSUBSCRIBE on the master that owns the channel's slot;
 * ioredis moves them after a failover): a plain PUBLISH would be broadcast to every node and could
 * reach a subscriber out of order when two publishes enter through different nodes.
 */
export class RedisLiveSubscriber {
  private readonly channels = new Map<string, Channel>();
  private closed = false;
  private readonly sharded: boolean;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {
    this.sharded = redis.isCluster === true;
    redis.on(this.messageEvent, this.onMessage);
  }

  private get messageEvent(): 'message' | 'smessage' {
    return this.sharded ? 'smessage' : 'message';
  }

  /** Calls `listener` with each message of `channel` until `stop()`. */
  listen(channel: string, listener: ChannelListener): Listening {
    if (this.closed) return { ready: Promise.resolve(), stop: () => undefined };
    let current = this.channels.get(channel);
    if (!current) {
      const ready = (this.sharded ? this.redis.ssubscribe(channel) : this.redis.subscribe(channel)).then(
        () => undefined,
        (error: unknown) => this.logger.warn({ err: error, channel }, 'redis subscribe failed'),
      );
      current = { listeners: new Set(), ready };
      this.channels.set(channel, current);
    }
    current.listeners.add(listener);
    const held = current;
    let listening = true;
    return {
      ready: held.ready,
      stop: () => {
        if (!listening) return;
        listening = false;
        held.listeners.delete(listener);
        if (held.listeners.size > 0 || this.channels.get(channel) !== held) return;
        this.channels.delete(channel);
        if (this.closed) return;
        (this.sharded ? this.redis.sunsubscribe(channel) : this.redis.unsubscribe(channel)).catch((error: unknown) => this.logger.warn({ err: error, channel }, 'redis unsubscribe failed'));
      },
    };
  }

  stats(): SubscriberStats {
    let listeners = 0;
    for (const { listeners: set } of this.channels.values()) listeners += set.size;
    return { channels: this.channels.size, listeners };
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    this.redis.off(this.messageEvent, this.onMessage);
    this.redis.disconnect();
  }

  private readonly onMessage = (channel: string, message: string) => {
    const listeners = this.channels.get(channel)?.listeners;
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
