import type { Logger } from '../logger';
import { counter, sampledGauge } from '../observability/metrics';
import type { Runtime } from '../runtime';
import { createPushIterator, type PushIterator } from './push-iterator';
import type { RedisLiveSubscriber } from './subscriber';
import { endEveryListener, statsOfKeys } from './feed-keys';

/**
 * How one kind of live update is made from the changes published on Redis: which channel a key
 * listens to, how changes of one window are folded together, and what the window's messages are.
 */
export interface FeedDefinition<TChange, TBatch, TMessage> {
  name: string;
  channel(key: string): string;
  /** Reads one published message; `undefined` drops it (malformed or not for this key). */
  parse(message: unknown, key: string): TChange | undefined;
  /**
   * Coalesced feeds flush at most once per key per window (SUBSCRIPTION_WINDOW_MS); the others
   * flush on the next turn of the event loop, so that every change is sent without waiting.
   */
  coalesce: boolean;
  startBatch(): TBatch;
  addToBatch(batch: TBatch, change: TChange): void;
  /** The messages of one window, computed once per process and sent to every listener of the key. */
  flush(key: string, batch: TBatch, runtime: Runtime): Promise<TMessage[]>;
}

export interface FeedStats {
  keys: number;
  listeners: number;
  timers: number;
}

interface Listener<TMessage> {
  iterator: PushIterator<TMessage>;
  accepts?: (message: TMessage) => boolean;
}

interface KeyState<TBatch, TMessage> {
  listeners: Set<Listener<TMessage>>;
  stopListening: () => void;
  batch?: TBatch;
  timer?: NodeJS.Timeout;
  flushing: boolean;
  disposed: boolean;
}

/**
 * Coalesces the changes of a key (a session, an event) into at most one flush per window and fans
 * the flushed messages out to every subscriber of the key in this process. A key listens to its
 * Redis channel only while it has subscribers; the last one to leave clears its timer too.
 */
const changesReceived = counter({
  name: 'live_changes_received_total',
  help: 'Changes a live feed heard on Redis for keys it has subscribers for, by feed.',
  labelNames: ['feed'] as const,
});
const flushes = counter({
  name: 'live_flushes_total',
  help: 'Coalesced flushes of a live feed (changes of one key folded into one update), by feed.',
  labelNames: ['feed'] as const,
});
const delivered = counter({
  name: 'live_messages_delivered_total',
  help: 'Messages a live feed handed to its subscribers in this process, by feed.',
  labelNames: ['feed'] as const,
});
const subscribers = sampledGauge('live_subscribers', 'Subscribers of a live feed in this process, by feed.', ['feed'] as const);

export class LiveFeed<TChange, TBatch, TMessage> {
  private readonly keys = new Map<string, KeyState<TBatch, TMessage>>();
  private closed = false;
  private readonly stopObserving: () => void;

  private readonly windowMs: number;
  private readonly logger: Logger;

  constructor(
    private readonly definition: FeedDefinition<TChange, TBatch, TMessage>,
    private readonly subscriber: RedisLiveSubscriber,
    private readonly runtime: Runtime,
  ) {
    this.windowMs = definition.coalesce ? runtime.config.subscriptions.windowMs : 0;
    this.logger = runtime.logger.child({ component: 'live', feed: definition.name });
    this.stopObserving = subscribers.add(() => [{ labels: { feed: definition.name }, value: this.stats().listeners }]);
  }

  /** The messages of `key` from now on; `accepts` filters them for this subscriber. */
  subscribe(key: string, accepts?: (message: TMessage) => boolean): PushIterator<TMessage> {
    let listener: Listener<TMessage>;
    const iterator = createPushIterator<TMessage>({ onEnd: () => this.leave(key, listener) });
    listener = { iterator, accepts };
    if (this.closed) {
      iterator.end();
      return iterator;
    }
    let state = this.keys.get(key);
    if (!state) {
      const created: KeyState<TBatch, TMessage> = {
        listeners: new Set(),
        stopListening: () => undefined,
        flushing: false,
        disposed: false,
      };
      created.stopListening = this.subscriber.listen(this.definition.channel(key), (raw) => this.receive(key, created, raw)).stop;
      this.keys.set(key, created);
      state = created;
    }
    state.listeners.add(listener);
    return iterator;
  }

  stats(): FeedStats {
    return statsOfKeys(this.keys);
  }

  /** Ends every subscriber's stream and stops listening. */
  dispose(): void {
    this.closed = true;
    endEveryListener(this.keys);
    this.stopObserving();
  }

  private leave(key: string, listener: Listener<TMessage>): void {
    const state = this.keys.get(key);
    if (!state || !state.listeners.delete(listener) || state.listeners.size > 0) return;
    state.disposed = true;
    clearTimeout(state.timer);
    state.timer = undefined;
    state.batch = undefined;
    state.stopListening();
    this.keys.delete(key);
  }

  private receive(key: string, state: KeyState<TBatch, TMessage>, raw: string): void {
    if (state.disposed) return;
    let change: TChange | undefined;
    try {
      change = this.definition.parse(JSON.parse(raw), key);
    } catch {
      change = undefined;
    }
    if (change === undefined) {
      this.logger.warn({ key }, 'ignored a malformed live message');
      return;
    }
    changesReceived.inc({ feed: this.definition.name });
    state.batch ??= this.definition.startBatch();
    this.definition.addToBatch(state.batch, change);
    this.schedule(key, state);
  }

  private schedule(key: string, state: KeyState<TBatch, TMessage>): void {
    // While a flush runs, changes wait for the next window, which starts when the flush ends: that
    // keeps flushes of one key at least a window apart.
    if (state.timer || state.flushing || state.disposed || state.batch === undefined) return;
    state.timer = setTimeout(() => void this.flush(key, state), this.windowMs);
  }

  private async flush(key: string, state: KeyState<TBatch, TMessage>): Promise<void> {
    state.timer = undefined;
    const batch = state.batch;
    state.batch = undefined;
    if (batch === undefined || state.disposed) return;
    state.flushing = true;
    try {
      const messages = await this.definition.flush(key, batch, this.runtime);
      flushes.inc({ feed: this.definition.name });
      let pushed = 0;
      for (const message of messages) {
        for (const listener of state.listeners) {
          if (!listener.accepts || listener.accepts(message)) {
            listener.iterator.push(message);
            pushed += 1;
          }
        }
      }
      delivered.inc({ feed: this.definition.name }, pushed);
    } catch (error) {
      this.logger.error({ err: error, key }, 'live update could not be computed');
    } finally {
      state.flushing = false;
      this.schedule(key, state);
    }
  }
}
