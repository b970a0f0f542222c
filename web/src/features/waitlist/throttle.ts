import { addChanges, changeCount, type WaitlistChangeCounts } from './live-changes';

/** Time as the throttles see it, so tests can drive it with Jest's fake timers or by hand. */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The one summary toast on screen: a new `id` is a new toast; the same `id` with larger counts updates it. */
export interface SummaryToast {
  id: number;
  changes: WaitlistChangeCounts;
}

/**
 * At most one new summary toast per `intervalMs` (3 s). The first change shows a toast at once;
 * changes within the interval after it add up in that same toast while it is open (a burst reads
 * "5 new entries", not five toasts), or, once it was dismissed, wait for the interval's end and
 * come out as one new toast. Changes after the interval start a new toast.
 */
export class SummaryToastThrottle {
  private current: (SummaryToast & { shownAt: number; open: boolean }) | null = null;
  private pending: WaitlistChangeCounts | null = null;
  private timer: unknown = null;
  private nextId = 1;

  constructor(
    private readonly show: (toast: SummaryToast) => void,
    private readonly intervalMs = 3000,
    private readonly clock: Clock = realClock,
  ) {}

  add(changes: WaitlistChangeCounts): void {
    if (changeCount(changes) === 0) return;
    const now = this.clock.now();
    const current = this.current;
    const withinInterval = current !== null && now - current.shownAt < this.intervalMs;
    if (current && withinInterval && current.open) {
      current.changes = addChanges(current.changes, changes);
      this.show({ id: current.id, changes: current.changes });
      return;
    }
    if (current && withinInterval) {
      this.pending = this.pending ? addChanges(this.pending, changes) : changes;
      this.timer ??= this.clock.setTimeout(() => this.flush(), current.shownAt + this.intervalMs - now);
      return;
    }
    this.open(changes, now);
  }

  /** The toast was closed (by the person or its own timeout): later changes in the interval wait. */
  closed(id: number): void {
    if (this.current?.id === id) this.current.open = false;
  }

  dispose(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
  }

  private flush(): void {
    this.timer = null;
    const pending = this.pending;
    this.pending = null;
    if (pending) this.open(pending, this.clock.now());
  }

  private open(changes: WaitlistChangeCounts, now: number): void {
    this.current = { id: this.nextId++, changes, shownAt: now, open: true };
    this.show({ id: this.current.id, changes });
  }
}

/**
 * Runs `run` at most once per `intervalMs`: at once when the last run is older than that,
 * otherwise once at the interval's end however many times it was asked for meanwhile. The
 * waitlist page's re-reads go through it, so a stream of changes costs one request per interval.
 */
export class Throttle {
  private lastRun = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;

  constructor(
    private readonly run: () => void,
    private readonly intervalMs = 3000,
    private readonly clock: Clock = realClock,
  ) {}

  request(): void {
    if (this.timer !== null) return;
    const wait = this.lastRun + this.intervalMs - this.clock.now();
    if (wait <= 0) return this.fire();
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.fire();
    }, wait);
  }

  dispose(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.lastRun = this.clock.now();
    this.run();
  }
}
