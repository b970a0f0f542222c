import type { RunningGateway } from '../../gateway/server';
import { LiveChannels, type WaitlistChange, type WaitlistChangeKind } from '../../kernel/contracts/live-channels';
import { eventually, expectQuietFor, sleep } from '../support/timing';
import {
  addLiveEvent,
  collect,
  countRequests,
  LiveClients,
  livePublisher,
  startLiveGateway,
  waitForListeners,
  WAITLIST_UPDATES,
} from '../support/live';
import { startStack, type TestStack } from '../support/stack';

const COUNTS = ['joined', 'left', 'offered', 'accepted', 'removed'] as const;

describe('waitlistUpdated through the gateway', () => {
  let stack: TestStack;
  let gateway: RunningGateway;
  let eventId: string;
  let sessionId: string;
  const clients = new LiveClients();

  beforeAll(async () => {
    stack = await startStack({ gateway: false, subgraphWorkers: false });
    gateway = await startLiveGateway(stack);
    ({ eventId, sessionId } = await addLiveEvent(stack.runtime.orm));
    const em = stack.runtime.orm.em.fork();
    await em.execute(`insert into session_capacities (session_id, event_id, total, used) values (?, ?, 10, 3)`, [sessionId, eventId]);
    const statuses = ['WAITING', 'WAITING', 'WAITING', 'WAITING', 'OFFERED', 'LEFT', 'ACCEPTED'];
    for (const [index, status] of statuses.entries()) {
      await em.execute(
        `insert into waitlist_entries (id, session_id, event_id, user_id, priority_tier, status, joined_at)
         values (gen_random_uuid(), ?, ?, ?, 'STANDARD', ?, now())`,
        [sessionId, eventId, `u-waiting-${index}`, status],
      );
    }
  });
  afterAll(async () => {
    await clients.dispose();
    await stack.close();
  });

  const client = (userId: string) => clients.as(gateway.url, userId);

  it('sends each organizer one message for a burst of six changes, counts and totals included, with no HTTP query', async () => {
    const subscribers = await Promise.all(['u-owner', 'u-staff', 'u-owner'].map(async (userId) => collect(await client(userId), WAITLIST_UPDATES, { sessionId })));
    // The two tabs of u-owner share one subscription to the waitlist subgraph.
    await eventually(() => gateway.subscriptionStats().subscriptions === 3, 5_000, 'three subscribers');
    await waitForListeners(stack.runtime, 'waitlistUpdated', 2);
    expect(gateway.subscriptionStats()).toMatchObject({ shared: 2, upstream: { subscriptions: 2 } });
    // Each begins with its snapshot (subscriptions-snapshot.test.ts); the burst comes after it.
    await eventually(() => subscribers.every((subscriber) => subscriber.data.length === 1), 5_000, 'the snapshots');
    const requests = countRequests(gateway);
    const sql = stack.countSql();

    const kinds: WaitlistChangeKind[] = ['joined', 'joined', 'left', 'offered', 'accepted', 'removed'];
    const publisher = livePublisher(stack.runtime);
    for (const kind of kinds) {
      const change: WaitlistChange = { sessionId, eventId, kinds: [kind], at: new Date().toISOString() };
      await publisher.publish(LiveChannels.waitlistSession(sessionId), change);
      await sleep(20);
    }

    await eventually(() => subscribers.every((subscriber) => subscriber.data.length >= 2), 5_000, 'one message per subscriber');
    // A second window passes: nothing else may arrive for the same burst.
    await expectQuietFor(stack.runtime.config.subscriptions.windowMs + 300, () => subscribers.map((subscriber) => subscriber.data.length));
    requests.stop();
    sql.stop();

    for (const subscriber of subscribers) {
      expect(subscriber.errors).toEqual([]);
      expect(subscriber.data).toHaveLength(2);
      const update = subscriber.data[1].data.waitlistUpdated;
      expect(COUNTS.reduce((sum, kind) => sum + update[kind], 0)).toBe(6);
      expect(update).toEqual({
        sessionId,
        joined: 2,
        left: 1,
        offered: 1,
        accepted: 1,
        removed: 1,
        totalWaiting: 5,
        capacity: { total: 10, used: 3, available: 7 },
      });
    }
    expect(requests.count()).toBe(0);
    // The totals are read once per window for every subscriber of the process, not once each (the
    // other statements are each upstream subscription's access re-check of its message).
    expect(sql.statements.filter((statement) => statement.includes('from waitlist_entries'))).toHaveLength(1);
  });

  it("refuses a non-organizer's subscription with FORBIDDEN", async () => {
    const refused = collect(await client('u-guest'), WAITLIST_UPDATES, { sessionId });
    await refused.done;
    expect(refused.data).toEqual([]);
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0].map((error: any) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('refuses an anonymous subscription with UNAUTHENTICATED', async () => {
    const anonymous = await clients.as(gateway.url);
    const refused = collect(anonymous, WAITLIST_UPDATES, { sessionId });
    await refused.done;
    expect(refused.errors[0].map((error: any) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers an unknown session as NOT_FOUND', async () => {
    const refused = collect(await client('u-owner'), WAITLIST_UPDATES, { sessionId: 's-does-not-exist' });
    await refused.done;
    expect(refused.errors[0].map((error: any) => error.extensions?.code)).toEqual(['NOT_FOUND']);
  });
});
