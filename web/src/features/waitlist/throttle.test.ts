import { NO_CHANGES, summaryText } from './live-changes';
import { SummaryToastThrottle, Throttle, type Clock, type SummaryToast } from './throttle';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (run, ms) => {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return timer;
    },
    clearTimeout: (handle) => void (timers = timers.filter((timer) => timer !== handle)),
  };
  const advance = (ms: number) => {
    now += ms;
    const due = timers.filter((timer) => timer.at <= now);
    timers = timers.filter((timer) => timer.at > now);
    for (const timer of due) timer.run();
  };
  return { clock, advance, pending: () => timers.length };
}

const joined = (count: number) => ({ ...NO_CHANGES, joined: count });

describe('the waitlist summary toast', () => {
  it('shows the first change at once and adds a burst into that same toast', () => {
    const { clock, advance } = manualClock();
    const shown: SummaryToast[] = [];
    const throttle = new SummaryToastThrottle((toast) => shown.push(toast), 3000, clock);
    throttle.add(joined(2));
    advance(1000);
    throttle.add(joined(1));
    advance(1000);
    throttle.add({ ...NO_CHANGES, left: 1 });
    expect(new Set(shown.map((toast) => toast.id)).size).toBe(1);
    expect(summaryText(shown.at(-1)!.changes)).toBe('Waitlist updated: 3 new entries, 1 left');
  });

  it('starts a new toast only once 3 s have passed since the last one appeared', () => {
    const { clock, advance } = manualClock();
    const shown: SummaryToast[] = [];
    const throttle = new SummaryToastThrottle((toast) => shown.push(toast), 3000, clock);
    throttle.add(joined(1));
    advance(2999);
    throttle.add(joined(1));
    advance(1);
    throttle.add(joined(4));
    expect(shown.map((toast) => [toast.id, toast.changes.joined])).toEqual([
      [1, 1],
      [1, 2],
      [2, 4],
    ]);
  });

  it('holds changes that come after the toast was dismissed until the 3 s are over, then shows them as one', () => {
    const { clock, advance } = manualClock();
    const shown: SummaryToast[] = [];
    const throttle = new SummaryToastThrottle((toast) => shown.push(toast), 3000, clock);
    throttle.add(joined(1));
    throttle.closed(1);
    advance(500);
    throttle.add(joined(2));
    advance(500);
    throttle.add({ ...NO_CHANGES, removed: 1 });
    expect(shown).toHaveLength(1);
    advance(1999);
    expect(shown).toHaveLength(1);
    advance(1);
    expect(shown).toHaveLength(2);
    expect(shown[1]!.id).toBe(2);
    expect(summaryText(shown[1]!.changes)).toBe('Waitlist updated: 2 new entries, 1 removed');
  });

  it('ignores messages that changed nothing and stops its timer when disposed', () => {
    const { clock, advance, pending } = manualClock();
    const shown: SummaryToast[] = [];
    const throttle = new SummaryToastThrottle((toast) => shown.push(toast), 3000, clock);
    throttle.add(NO_CHANGES);
    expect(shown).toHaveLength(0);
    throttle.add(joined(1));
    throttle.closed(1);
    throttle.add(joined(1));
    expect(pending()).toBe(1);
    throttle.dispose();
    expect(pending()).toBe(0);
    advance(10_000);
    expect(shown).toHaveLength(1);
  });

  it('words one entry and several kinds of change', () => {
    expect(summaryText(joined(1))).toBe('Waitlist updated: 1 new entry');
    expect(summaryText({ ...NO_CHANGES, offered: 2, accepted: 1, declined: 1, expired: 3 })).toBe(
      'Waitlist updated: 2 offers sent, 1 offer accepted, 1 offer declined, 3 offers expired',
    );
  });
});

describe('the page re-read throttle', () => {
  it('runs at once, then at most once per 3 s however often it is asked', () => {
    const { clock, advance } = manualClock();
    let runs = 0;
    const throttle = new Throttle(() => runs++, 3000, clock);
    throttle.request();
    expect(runs).toBe(1);
    for (let i = 0; i < 10; i++) {
      advance(200);
      throttle.request();
    }
    expect(runs).toBe(1);
    advance(1000);
    expect(runs).toBe(2);
    advance(5000);
    expect(runs).toBe(2);
    throttle.request();
    expect(runs).toBe(3);
  });
});
