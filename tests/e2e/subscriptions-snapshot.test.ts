import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { RunningGateway } from '../../gateway/server';
import { eventually, sleep } from '../support/timing';
import { LiveChannels } from '../../kernel/contracts/live-channels';
import { addLiveEvent, collect, livePublisher, OFFER_INVENTORY, startLiveGateway, wsUrl, type Received, LiveClients } from '../support/live';
import { startStack, type TestStack } from '../support/stack';
import { TcpProxy } from '../support/tcp-proxy';
import { tokenFor } from '../support/tokens';
import { addAttendees, asUser, ExtraWaitlistOps, WaitlistOps } from '../support/waitlist';

// Issue 15: the first message of a live subscription is the current state, every later one a
// change, and no change is lost or counted twice between them.

const WAITLIST_SNAPSHOTS = /* GraphQL */ `
  subscription WaitlistUpdates($sessionId: ID!) {
    waitlistUpdated(sessionId: $sessionId) {
      snapshot
      sessionId
      joined
      left
      offered
      accepted
      removed
      totalWaiting
      capacity { total used available }
    }
  }
`;

const OFFER_SNAPSHOTS = /* GraphQL */ `
  subscription OfferInventory($eventId: ID!) {
    offerInventoryChanged(eventId: $eventId) {
      snapshot
      offer { id title isActive inventory { total sold reserved available } }
    }
  }
`;

const WINDOW_MS = 150;

const updatesOf = (received: Received) => received.data.map((result) => result.data?.waitlistUpdated);

describe('live subscriptions begin with a snapshot', () => {
  let stack: TestStack;
  let gateway: RunningGateway;
  const clients = new LiveClients();
  const proxies: TcpProxy[] = [];

  beforeAll(async () => {
    // The race below opens 50 sockets per organizer: more than one caller's default cap (issue 23).
    stack = await startStack({
      subgraphWorkers: false,
      env: { SUBSCRIPTION_WINDOW_MS: String(WINDOW_MS), WS_MAX_SOCKETS_PER_CALLER: '500', WS_MAX_SUBSCRIPTIONS_PER_CALLER: '1000' },
    });
    gateway = await startLiveGateway(stack);
  });
  afterAll(async () => {
    await clients.dispose();
    await Promise.all(proxies.map((proxy) => proxy.down()));
    await stack.close();
  });

  const client = (userId: string) => clients.as(gateway.url, userId);

  /** A private event of org-acme with a session whose seats are all held, so every join waits. */
  const soldOutSession = async (attendees: number) => {
    const { eventId, sessionId } = await addLiveEvent(stack.runtime.orm);
    const users = await addAttendees(stack.runtime.orm, eventId, `snap-${sessionId}`, attendees);
    const held = await asUser(stack, 'u-owner')(ExtraWaitlistOps.HoldSeats, { sessionId, total: 0 });
    expect(held.errors).toBeUndefined();
    return { eventId, sessionId, users };
  };

  const join = async (userId: string, sessionId: string) => {
    const response = await asUser(stack, userId)(WaitlistOps.JoinWaitlist, { sessionId });
    expect(response.errors).toBeUndefined();
  };
  const leave = async (userId: string, sessionId: string) => {
    const response = await asUser(stack, userId)(WaitlistOps.LeaveWaitlist, { sessionId });
    expect(response.errors).toBeUndefined();
  };

  /** People waiting or holding an open offer, as PostgreSQL has them. */
  const waitingInDb = async (sessionId: string) => {
    const [row] = await stack.runtime.orm.em
      .fork()
      .execute<{ count: string }[]>(`select count(*) from waitlist_entries where session_id = ? and status in ('WAITING', 'OFFERED')`, [sessionId]);
    return Number(row.count);
  };

  /**
   * What a subscriber believes after its messages: the snapshot's totals plus every change counted
   * since (joins and leaves only here), and the totals of its last message.
   */
  const replay = (received: Received) => {
    const [first, ...rest] = updatesOf(received);
    return {
      counted: first.totalWaiting + rest.reduce((sum, update) => sum + update.joined - update.left, 0),
      last: (rest.at(-1) ?? first).totalWaiting,
    };
  };

  it('sends the current totals first, marked as the snapshot with nothing counted, then each change', async () => {
    const { sessionId, users } = await soldOutSession(3);
    await join(users[0], sessionId);
    await join(users[1], sessionId);

    const watcher = collect(await client('u-owner'), WAITLIST_SNAPSHOTS, { sessionId });
    await eventually(() => watcher.data.length === 1, 5_000, 'the snapshot');
    expect(watcher.errors).toEqual([]);
    expect(updatesOf(watcher)[0]).toEqual({
      snapshot: true,
      sessionId,
      joined: 0,
      left: 0,
      offered: 0,
      accepted: 0,
      removed: 0,
      totalWaiting: 2,
      capacity: { total: 0, used: 0, available: 0 },
    });

    await join(users[2], sessionId);
    await eventually(() => watcher.data.length === 2, 5_000, 'the change');
    expect(updatesOf(watcher)[1]).toMatchObject({ snapshot: false, joined: 1, left: 0, totalWaiting: 3 });
    await sleep(WINDOW_MS * 3);
    expect(watcher.data).toHaveLength(2);
  });

  it("sends every offer a caller may see as the offers' snapshot, attendees only the visible ones, then changes", async () => {
    const { eventId } = await addLiveEvent(stack.runtime.orm);
    const em = stack.runtime.orm.em.fork();
    const insert = (title: string, active: boolean) =>
      em.execute<{ id: string }[]>(
        `insert into offers (id, event_id, title, type, price_cents, currency, inventory_total, sold, reserved, is_active, created_at, updated_at)
         values (gen_random_uuid(), ?, ?, 'DIGITAL', 500, 'USD', 10, 2, 0, ?, now(), now()) returning id`,
        [eventId, title, active],
      );
    const [[visible], [draft]] = await Promise.all([insert('Visible', true), insert('Draft', false)]);

    const organizer = collect(await client('u-owner'), OFFER_SNAPSHOTS, { eventId });
    const attendee = collect(await client('u-guest'), OFFER_SNAPSHOTS, { eventId });
    await eventually(() => organizer.data.length === 2 && attendee.data.length === 1, 5_000, 'the snapshots');
    const offersOf = (received: Received) => received.data.map((result) => result.data.offerInventoryChanged);
    expect(offersOf(organizer).every((update) => update.snapshot)).toBe(true);
    expect(offersOf(organizer).map((update) => update.offer.id).sort()).toEqual([visible.id, draft.id].sort());
    expect(offersOf(attendee)).toEqual([
      { snapshot: true, offer: { id: visible.id, title: 'Visible', isActive: true, inventory: { total: 10, sold: 2, reserved: 0, available: 8 } } },
    ]);

    await em.execute(`update offers set sold = sold + 1 where id = ?`, [visible.id]);
    await livePublisher(stack.runtime).publish(LiveChannels.offerInventory(eventId), { eventId, offerId: visible.id, at: new Date().toISOString() });
    await eventually(() => organizer.data.length === 3 && attendee.data.length === 2, 5_000, 'the change');
    for (const received of [organizer, attendee]) {
      expect(offersOf(received).at(-1)).toMatchObject({ snapshot: false, offer: { id: visible.id, inventory: { sold: 3, available: 7 } } });
    }
  });

  it('refuses a caller who may not watch the session as before, with nothing of the snapshot', async () => {
    const { sessionId, users } = await soldOutSession(1);
    await join(users[0], sessionId);
    const refused = collect(await client('u-guest'), WAITLIST_SNAPSHOTS, { sessionId });
    await refused.done;
    expect(refused.data).toEqual([]);
    expect(refused.errors[0].map((error: any) => error.extensions?.code)).toEqual(['FORBIDDEN']);

    const { eventId } = await addLiveEvent(stack.runtime.orm);
    const outsider = collect(await client('u-outsider'), OFFER_INVENTORY, { eventId });
    await outsider.done;
    expect(outsider.data).toEqual([]);
    expect(outsider.errors[0].map((error: any) => error.extensions?.code)).toEqual(['NOT_FOUND']);
  });

  it('gives a socket that joins a shared subscription late its own snapshot, sends the others nothing again, and merges them', async () => {
    const { sessionId, users } = await soldOutSession(3);
    const others = gateway.subscriptionStats();
    const first = collect(await client('u-owner'), WAITLIST_SNAPSHOTS, { sessionId });
    const firstTab = collect(await client('u-owner'), WAITLIST_SNAPSHOTS, { sessionId });
    await eventually(() => first.data.length === 1 && firstTab.data.length === 1, 5_000, 'the first snapshots');
    // Whether the second tab came before the snapshot or after (then with its own, merged at once),
    // the two share one upstream subscription now.
    await eventually(() => gateway.subscriptionStats().shared === others.shared + 1, 5_000, 'one shared subscription');
    expect(gateway.subscriptionStats().subscriptions).toBe(others.subscriptions + 2);
    const before = gateway.subscriptionStats().merged;

    await join(users[0], sessionId);
    await eventually(() => first.data.length === 2 && firstTab.data.length === 2, 5_000, 'the first change');

    const late = collect(await client('u-owner'), WAITLIST_SNAPSHOTS, { sessionId });
    await eventually(() => late.data.length === 1, 5_000, "the late socket's snapshot");
    expect(updatesOf(late)[0]).toMatchObject({ snapshot: true, joined: 0, totalWaiting: 1 });
    // Its own snapshot showed the same state as the shared subscription's: merged back at once.
    await eventually(() => gateway.subscriptionStats().merged === before + 1, 5_000, 'the merge');
    expect(gateway.subscriptionStats()).toMatchObject({ subscriptions: others.subscriptions + 3, shared: others.shared + 1 });
    await sleep(WINDOW_MS * 3);
    expect([first.data.length, firstTab.data.length]).toEqual([2, 2]);

    await join(users[1], sessionId);
    await eventually(() => [first, firstTab, late].every((received) => received.data.length === (received === late ? 2 : 3)), 5_000, 'the next change');
    for (const received of [first, firstTab, late]) {
      expect(updatesOf(received).at(-1)).toMatchObject({ snapshot: false, joined: 1, totalWaiting: 2 });
      expect(updatesOf(received).filter((update) => update.snapshot)).toHaveLength(1);
    }
    await sleep(WINDOW_MS * 3);
    expect([first.data.length, firstTab.data.length, late.data.length]).toEqual([3, 3, 2]);
  });

  it('hands a socket that comes after a recent shared snapshot, nothing changed since, a copy of it without a new upstream subscription', async () => {
    const { sessionId, users } = await soldOutSession(2);
    await join(users[0], sessionId);
    const first = collect(await client('u-owner'), WAITLIST_SNAPSHOTS, { sessionId });
    await eventually(() => first.data.length === 1, 5_000, 'the first snapshot');
    const { upstream: { subscriptions: upstream }, snapshotsReused, shared, subscriptions } = gateway.subscriptionStats();

    const second = collect(await client('u-owner'), WAITLIST_SNAPSHOTS, { sessionId });
    await eventually(() => second.data.length === 1, 5_000, 'the copy');
    expect(second.data[0]).toEqual(first.data[0]);
    expect(updatesOf(second)[0]).toMatchObject({ snapshot: true, totalWaiting: 1 });
    expect(gateway.subscriptionStats()).toMatchObject({
      subscriptions: subscriptions + 1,
      shared,
      snapshotsReused: snapshotsReused + 1,
      upstream: { subscriptions: upstream },
    });
    expect(first.data).toHaveLength(1);

    await join(users[1], sessionId);
    await eventually(() => first.data.length === 2 && second.data.length === 2, 5_000, 'the change, once each');
    // After a change the snapshot is no longer current: a newcomer gets one of its own.
    const third = collect(await client('u-owner'), WAITLIST_SNAPSHOTS, { sessionId });
    await eventually(() => third.data.length === 1, 5_000, "the newcomer's snapshot");
    expect(updatesOf(third)[0]).toMatchObject({ snapshot: true, totalWaiting: 2 });
    expect(gateway.subscriptionStats().snapshotsReused).toBe(snapshotsReused + 1);
    await sleep(WINDOW_MS * 3);
    expect([first.data.length, second.data.length, third.data.length]).toEqual([2, 2, 1]);
  });

  it('keeps every subscriber exact when 50 subscribes race 200 mutations: final totals equal the database, each change counted once', async () => {
    const { sessionId, users } = await soldOutSession(101);
    const organizers = ['u-owner', 'u-staff'];
    const sql = stack.countSql();
    const started = Date.now();
    const subscribers: Received[] = [];
    const subscribing = (async () => {
      for (let index = 0; index < 50; index += 1) {
        subscribers.push(collect(await client(organizers[index % 2]), WAITLIST_SNAPSHOTS, { sessionId }));
        await sleep(15);
      }
    })();
    // 101 joins and 99 leaves, ten people at a time, each leaving after their own join.
    const mutating = (async () => {
      for (let start = 0; start < users.length; start += 10) {
        await Promise.all(
          users.slice(start, start + 10).map(async (userId) => {
            await join(userId, sessionId);
            if (Number(userId.slice(-3)) % 3 !== 0) await leave(userId, sessionId);
            else await sleep(5);
          }),
        );
      }
      // Most of the others leave at the end: 68 leaves above, 31 here.
      await Promise.all(users.filter((userId) => Number(userId.slice(-3)) % 3 === 0).slice(0, 31).map((userId) => leave(userId, sessionId)));
    })();
    await Promise.all([subscribing, mutating]);

    const expected = await waitingInDb(sessionId);
    expect(expected).toBe(2);
    await eventually(() => subscribers.every((received) => replay(received).last === expected), 15_000, 'every subscriber at the final totals');
    await sleep(WINDOW_MS * 4);
    sql.stop();
    const elapsedMs = Date.now() - started;
    for (const received of subscribers) {
      expect(received.errors).toEqual([]);
      const updates = updatesOf(received);
      expect(updates[0].snapshot).toBe(true);
      expect(updates.slice(1).every((update) => update.snapshot === false)).toBe(true);
      expect(replay(received)).toEqual({ counted: expected, last: expected });
    }
    // One read per window for every subscriber and every change of the window (the first snapshot
    // of a quiet session is read at once): not one per mutation, nor one per subscriber.
    const reads = sql.statements.filter((statement) => statement.includes('from live_versions where key')).length;
    expect(reads).toBeLessThanOrEqual(Math.ceil(elapsedMs / WINDOW_MS) + 1);
    expect(reads).toBeLessThan(200);
    // 200 mutations through the gateway on a shared two-core machine take a while.
  }, 180_000);

  it('gives a client that reconnects after its TCP connection dropped a fresh snapshot, and it continues', async () => {
    const { sessionId, users } = await soldOutSession(4);
    const proxy = new TcpProxy('127.0.0.1', Number(new URL(gateway.url).port));
    proxies.push(proxy);
    await proxy.up();
    const token = await tokenFor('u-owner');
    let connections = 0;
    const reconnecting = createClient({
      url: wsUrl(proxy.url(gateway.url)),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 20,
      retryWait: async () => {
        await sleep(100);
      },
      shouldRetry: () => true,
      on: { connected: () => (connections += 1) },
    });
    clients.track(reconnecting);
    const watcher = collect(reconnecting, WAITLIST_SNAPSHOTS, { sessionId });
    await eventually(() => watcher.data.length === 1, 5_000, 'the snapshot');
    await join(users[0], sessionId);
    await eventually(() => watcher.data.length === 2, 5_000, 'the first change');

    const open = gateway.subscriptionStats().connections;
    await proxy.down();
    await eventually(() => gateway.subscriptionStats().connections === open - 1, 5_000, 'the gateway sees the socket closed');
    // Changes while the client is away: its next snapshot has them.
    await join(users[1], sessionId);
    await join(users[2], sessionId);
    await proxy.up();
    await eventually(() => watcher.data.length === 3, 10_000, 'the snapshot after reconnecting');
    expect(connections).toBe(2);
    expect(updatesOf(watcher)[2]).toMatchObject({ snapshot: true, joined: 0, totalWaiting: 3 });

    await leave(users[0], sessionId);
    await eventually(() => watcher.data.length === 4, 5_000, 'a change after reconnecting');
    expect(updatesOf(watcher)[3]).toMatchObject({ snapshot: false, left: 1, totalWaiting: 2 });
    expect(updatesOf(watcher)[3].totalWaiting).toBe(await waitingInDb(sessionId));
    expect(watcher.errors).toEqual([]);
  });
});
