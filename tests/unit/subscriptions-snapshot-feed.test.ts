import type { Runtime } from '../../kernel/runtime';
import { createLogger } from '../../kernel/logger';
import type { LiveMessage } from '../../kernel/live/live-meta';
import type { PushIterator } from '../../kernel/live/push-iterator';
import { SnapshotFeed, type SnapshotFeedDefinition } from '../../kernel/live/snapshot-feed';
import type { RedisLiveSubscriber } from '../../kernel/live/subscriber';
import { countOnce, type CountedVersions } from '../../subgraphs/waitlist/subscriptions';
import { sleep } from '../support/timing';

const WINDOW_MS = 100;

/** A channel whose SUBSCRIBE confirmation the test releases, and whose messages it sends. */
function fakeSubscriber() {
  let confirm!: () => void;
  const ready = new Promise<void>((resolve) => {
    confirm = resolve;
  });
  let deliver: ((raw: string) => void) | undefined;
  const subscriber = {
    listen: (_channel: string, listener: (raw: string) => void) => {
      deliver = listener;
      return { ready, stop: () => (deliver = undefined) };
    },
  } as unknown as RedisLiveSubscriber;
  return { subscriber, confirm, publish: (message: object) => deliver?.(JSON.stringify(message)) };
}

interface Change {
  version: number;
  delta: number;
}

/** A counter in "the database": its total and the version of its last change. */
function counterFeed(database: { total: number; version: number }) {
  const reads: boolean[] = [];
  const definition: SnapshotFeedDefinition<Change, { total: number; version: number }, CountedVersions, { snapshot: boolean; total: number; delta: number }> = {
    name: 'counter',
    channel: (key) => `counter:${key}`,
    parse: (message) => message as Change,
    read: async (_key, _changes, whole) => {
      reads.push(whole);
      return { ...database };
    },
    snapshot: (read) => ({ messages: [{ snapshot: true, total: read.total, delta: 0 }], state: { through: read.version, above: new Set() } }),
    changes: (read, changes, state) => {
      const counted = changes.filter((change) => countOnce(state, { sessionId: 's', eventId: 'e', kinds: ['joined'], at: '', version: change.version }));
      return counted.length ? [{ snapshot: false, total: read.total, delta: counted.reduce((sum, change) => sum + change.delta, 0) }] : [];
    },
    digest: (state) => `${state.through}`,
  };
  return { definition, reads };
}

const runtime = { config: { subscriptions: { windowMs: WINDOW_MS } }, logger: createLogger('silent') } as unknown as Runtime;

async function take<T>(iterator: PushIterator<LiveMessage<T>>, count: number): Promise<LiveMessage<T>[]> {
  const values: LiveMessage<T>[] = [];
  for (let i = 0; i < count; i += 1) values.push((await iterator.next()).value!);
  return values;
}

describe('a snapshot feed', () => {
  it('reads the snapshot only once Redis has confirmed the channel, so nothing published after the read is missed', async () => {
    const database = { total: 3, version: 7 };
    const { definition, reads } = counterFeed(database);
    const channel = fakeSubscriber();
    const feed = new SnapshotFeed(definition, channel.subscriber, runtime);
    const iterator = feed.subscribe('k');
    await sleep(WINDOW_MS * 2);
    expect(reads).toEqual([]);
    channel.confirm();
    const [snapshot] = await take(iterator, 1);
    expect(snapshot.value).toEqual({ snapshot: true, total: 3, delta: 0 });
    expect(snapshot.meta).toMatchObject({ snapshot: true, state: '7' });
    expect(reads).toEqual([true]);
    await iterator.return(undefined);
  });

  it('serves every subscriber waiting in the same window with one read, a snapshot each', async () => {
    const { definition, reads } = counterFeed({ total: 1, version: 1 });
    const channel = fakeSubscriber();
    const feed = new SnapshotFeed(definition, channel.subscriber, runtime);
    const iterators = Array.from({ length: 1000 }, () => feed.subscribe('k'));
    channel.confirm();
    const snapshots = await Promise.all(iterators.map((iterator) => take(iterator, 1)));
    expect(snapshots.every(([message]) => message.value.snapshot && message.value.total === 1)).toBe(true);
    expect(reads).toHaveLength(1);
    expect(feed.stats()).toMatchObject({ keys: 1, listeners: 1000 });
    await Promise.all(iterators.map((iterator) => iterator.return(undefined)));
    expect(feed.stats()).toEqual({ keys: 0, listeners: 0, timers: 0 });
  });

  it('drops a change the snapshot already counted, counts a later one once, and keeps the late subscriber apart', async () => {
    const database = { total: 2, version: 2 };
    const { definition, reads } = counterFeed(database);
    const channel = fakeSubscriber();
    channel.confirm();
    const feed = new SnapshotFeed(definition, channel.subscriber, runtime);
    const early = feed.subscribe('k');
    await take(early, 1);

    // Committed (version 3) before the late subscriber's snapshot, heard after it.
    database.total = 3;
    database.version = 3;
    await sleep(WINDOW_MS * 1.5);
    const late = feed.subscribe('k');
    const [lateSnapshot] = await take(late, 1);
    expect(lateSnapshot.value).toEqual({ snapshot: true, total: 3, delta: 0 });
    channel.publish({ version: 3, delta: 1 });
    channel.publish({ version: 3, delta: 1 }); // heard twice: still one change
    database.total = 4;
    database.version = 4;
    channel.publish({ version: 4, delta: 1 });

    const [earlyChange] = await take(early, 1);
    const [lateChange] = await take(late, 1);
    expect(earlyChange.value).toEqual({ snapshot: false, total: 4, delta: 2 });
    expect(lateChange.value).toEqual({ snapshot: false, total: 4, delta: 1 });
    // Both stand at version 4 now: the gateway may merge them.
    expect([earlyChange.meta.state, lateChange.meta.state]).toEqual(['4', '4']);
    expect(reads).toEqual([true, true, false]);
    await Promise.all([early.return(undefined), late.return(undefined)]);
  });
});

describe('counting waitlist changes once', () => {
  const change = (version: number) => ({ sessionId: 's', eventId: 'e', kinds: ['joined' as const], at: '', version });

  it('counts each version after the snapshot once, whatever order they are heard in', () => {
    const state: CountedVersions = { through: 10, above: new Set() };
    expect([9, 10, 12, 11, 12, 13].map((version) => countOnce(state, change(version)))).toEqual([false, false, true, true, false, true]);
    expect(state).toEqual({ through: 13, above: new Set() });
  });

  it('counts messages without a version (older senders) every time', () => {
    const state: CountedVersions = { through: 10, above: new Set() };
    expect(countOnce(state, { sessionId: 's', eventId: 'e', kinds: ['left'], at: '' })).toBe(true);
    expect(state.through).toBe(10);
  });

  it('gives up a version that never arrives once 64 later ones have been counted', () => {
    const state: CountedVersions = { through: 0, above: new Set() };
    for (let version = 2; version <= 66; version += 1) countOnce(state, change(version));
    expect(state).toEqual({ through: 66, above: new Set() });
    expect(countOnce(state, change(1))).toBe(false);
  });
});
