import type { FeedStats } from './feed';

/** What both feeds keep per key that their stats and shutdown read. */
interface FeedKey {
  listeners: Set<{ iterator: { end(): void } }>;
  timer?: unknown;
}

/** Keys, listeners and pending timers of a feed: what must return to zero when subscribers leave. */
export function statsOfKeys(keys: Map<string, FeedKey>): FeedStats {
  let listeners = 0;
  let timers = 0;
  for (const state of keys.values()) {
    listeners += state.listeners.size;
    if (state.timer) timers += 1;
  }
  return { keys: keys.size, listeners, timers };
}

/** Ends every subscriber's stream; each listener's `leave` then stops listening for its key. */
export function endEveryListener(keys: Map<string, FeedKey>): void {
  for (const state of [...keys.values()]) {
    for (const listener of [...state.listeners]) listener.iterator.end();
  }
}
