import type { Logger } from '../logger';
import type { Runtime } from '../runtime';
import type { FeedStats } from './feed';
import type { LiveMessage } from './live-meta';
import { createPushIterator, type PushIterator } from './push-iterator';
import type { Listening, RedisLiveSubscriber } from './subscriber';

export type Accepts<TMessage> = (message: TMessage) => boolean;

/**
 * A live feed whose subscribers begin with the current state (issue 15): the first messages are
 * the snapshot, every later one a coalesced change, and a change is counted once, in the snapshot
 * or in a later message. The definition says how the key is read and how a subscriber's state
 * (what it has been told: the snapshot's version, the changes counted since) decides what each
 * change means to it.
 */
export interface SnapshotFeedDefinition<TChange, TRead, TState, TMessage> {
  name: string;
  channel(key: string): string;
  /** Reads one published message; `undefined` drops it (malformed or not for this key). */
  parse(message: unknown, key: string): TChange | undefined;
  /**
   * One consistent read of the key (one database snapshot, versions included): everything when
   * `whole` (a subscriber waits for its snapshot), else what the changes need. `undefined` when the
   * key no longer exists.
   */
  read(key: string, changes: readonly TChange[], whole: boolean, runtime: Runtime): Promise<TRead | undefined>;
  /** A new subscriber's snapshot messages and its state after them. */
  snapshot(read: TRead, accepts: Accepts<TMessage>): { messages: TMessage[]; state: TState };
  /** The messages the changes make for a subscriber in `state`, which they advance. */
  changes(read: TRead, changes: readonly TChange[], state: TState, accepts: Accepts<TMessage>): TMessage[];
  /** The state as a short string: equal strings receive equal messages from then on. */
  digest(state: TState): string;
}

interface Listener<TState, TMessage> {
  iterator: PushIterator<LiveMessage<TMessage>>;
  accepts: Accepts<TMessage>;
  /** Undefined until the snapshot has been sent. */
  state?: TState;
}

interface KeyState<TChange, TState, TMessage> {
  listeners: Set<Listener<TState, TMessage>>;
  listening: Listening;
  batch: TChange[];
  timer?: NodeJS.Timeout;
  timerDue?: number;
  reading: boolean;
  lastReadEnd?: number;
  disposed: boolean;
}

/** Reads of every snapshot feed of this process, so that a read's number is unique in it. */
let readsInProcess = 0;
const acceptAll = () => true;

/**
 * Listen first, read second: a subscriber is added to its key's listeners, the key's Redis channel
 * is confirmed subscribed, and only then is the snapshot read, so a change committed after the
 * read is published after it and heard. A change committed before the read but heard after it
 * carries a version the subscriber's snapshot already covers, and is dropped for that subscriber.
 *
 * Reads are shared: one read per key serves every subscriber waiting for a snapshot and every
 * subscriber with changes to hear, at most one per window (SUBSCRIPTION_WINDOW_MS) after the
 * previous one, except that the first snapshot of a quiet key is read at once.
 */
export class SnapshotFeed<TChange, TRead, TState, TMessage> {
  private readonly keys = new Map<string, KeyState<TChange, TState, TMessage>>();
  private closed = false;
  private readonly windowMs: number;
  private readonly logger: Logger;

  constructor(
    private readonly definition: SnapshotFeedDefinition<TChange, TRead, TState, TMessage>,
    private readonly subscriber: RedisLiveSubscriber,
    private readonly runtime: Runtime,
  ) {
    this.windowMs = runtime.config.subscriptions.windowMs;
    this.logger = runtime.logger.child({ component: 'live', feed: definition.name });
  }

  /** The snapshot of `key`, then its changes; `accepts` filters both for this subscriber. */
  subscribe(key: string, accepts: Accepts<TMessage> = acceptAll): PushIterator<LiveMessage<TMessage>> {
    let listener: Listener<TState, TMessage>;
    const iterator = createPushIterator<LiveMessage<TMessage>>({ onEnd: () => this.leave(key, listener) });
    listener = { iterator, accepts };
    if (this.closed) {
      iterator.end();
      return iterator;
    }
    let state = this.keys.get(key);
    if (!state) {
      const created: KeyState<TChange, TState, TMessage> = {
        listeners: new Set(),
        listening: { ready: Promise.resolve(), stop: () => undefined },
        batch: [],
        reading: false,
        disposed: false,
      };
      created.listening = this.subscriber.listen(this.definition.channel(key), (raw) => this.receive(key, created, raw));
      this.keys.set(key, created);
      state = created;
    }
    state.listeners.add(listener);
    this.schedule(key, state);
    return iterator;
  }

  stats(): FeedStats {
    let listeners = 0;
    let timers = 0;
    for (const state of this.keys.values()) {
      listeners += state.listeners.size;
      if (state.timer) timers += 1;
    }
    return { keys: this.keys.size, listeners, timers };
  }

  close(): void {
    this.closed = true;
    for (const state of [...this.keys.values()]) {
      for (const listener of [...state.listeners]) listener.iterator.end();
    }
  }

  private leave(key: string, listener: Listener<TState, TMessage>): void {
    const state = this.keys.get(key);
    if (!state || !state.listeners.delete(listener) || state.listeners.size > 0) return;
    state.disposed = true;
    clearTimeout(state.timer);
    state.timer = undefined;
    state.batch = [];
    state.listening.stop();
    this.keys.delete(key);
  }

  private receive(key: string, state: KeyState<TChange, TState, TMessage>, raw: string): void {
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
    state.batch.push(change);
    this.schedule(key, state);
  }

  private schedule(key: string, state: KeyState<TChange, TState, TMessage>): void {
    // While a read runs, what arrives waits for the next one, scheduled when the read ends.
    if (state.reading || state.disposed) return;
    const waiting = [...state.listeners].some((listener) => !listener.state);
    if (!waiting && state.batch.length === 0) return;
    const now = Date.now();
    const due = waiting
      ? Math.max(now, (state.lastReadEnd ?? -Infinity) + this.windowMs)
      : now + this.windowMs;
    if (state.timer) {
      if ((state.timerDue ?? 0) <= due) return;
      clearTimeout(state.timer);
    }
    state.timerDue = due;
    state.timer = setTimeout(() => void this.read(key, state), due - now);
  }

  private async read(key: string, state: KeyState<TChange, TState, TMessage>): Promise<void> {
    state.timer = undefined;
    state.timerDue = undefined;
    if (state.disposed) return;
    state.reading = true;
    try {
      await state.listening.ready;
      if (state.disposed) return;
      const batch = state.batch;
      state.batch = [];
      const listeners = [...state.listeners];
      const waiting = listeners.filter((listener) => !listener.state);
      let result: TRead | undefined;
      try {
        result = await this.definition.read(key, batch, waiting.length > 0, this.runtime);
      } catch (error) {
        this.logger.error({ err: error, key }, 'live update could not be read');
        state.batch = batch.concat(state.batch);
        return;
      }
      if (state.disposed) return;
      const read = ++readsInProcess;
      if (result === undefined) {
        for (const listener of waiting) listener.iterator.end();
        return;
      }
      for (const listener of listeners) {
        if (!state.listeners.has(listener)) continue;
        if (listener.state === undefined) {
          const snapshot = this.definition.snapshot(result, listener.accepts);
          listener.state = snapshot.state;
          this.send(listener, snapshot.messages, true, read);
        } else {
          this.send(listener, this.definition.changes(result, batch, listener.state, listener.accepts), false, read);
        }
      }
    } finally {
      state.reading = false;
      state.lastReadEnd = Date.now();
      this.schedule(key, state);
    }
  }

  private send(listener: Listener<TState, TMessage>, messages: TMessage[], snapshot: boolean, read: number): void {
    messages.forEach((value, index) => {
      const last = index === messages.length - 1;
      listener.iterator.push({ value, meta: { snapshot, read, state: last ? this.definition.digest(listener.state as TState) : undefined } });
    });
  }
}
