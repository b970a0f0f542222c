import type { Client } from 'graphql-ws';
import type { RunningGateway } from '../../gateway/server';
import { LiveChannels } from '../../kernel/live/live-events';
import { eventually } from '../support/kafka';
import {
  addLiveEvent,
  collect,
  liveClient,
  livePublisher,
  liveStats,
  MONETIZATION_ACTIVITY,
  numsub,
  OFFER_INVENTORY,
  startLiveGateway,
  WAITLIST_UPDATES,
  type Received,
} from '../support/live';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

const BATCH = 50;
const BATCHES = 18;
const IMMEDIATE = 100;

/** Active handles by kind (timers, sockets...), as Node counts what keeps the process alive. */
function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('subscription cleanup', () => {
  let stack: TestStack;
  let gateway: RunningGateway;
  let client: Client;
  let refusedClient: Client;
  // Distinct operations all the way to the subgraphs: the gateway shares identical ones.
  let targets: { eventId: string; sessionId: string }[];

  beforeAll(async () => {
    stack = await startStack({ gateway: false, env: { SUBSCRIPTION_WINDOW_MS: '5000' } });
    gateway = await startLiveGateway(stack);
    targets = [];
    for (let i = 0; i < Math.ceil(BATCH / 3); i += 1) targets.push(await addLiveEvent(stack.runtime.orm));
    client = liveClient(gateway.url, await tokenFor('u-owner'));
    refusedClient = liveClient(gateway.url, await tokenFor('u-guest'));
  });
  afterAll(async () => {
    await Promise.all([client.dispose(), refusedClient.dispose()]);
    await stack.close();
  });

  /** The i-th distinct subscription: one of the three operations on one of the targets. */
  const nth = (i: number) => {
    const { eventId, sessionId } = targets[Math.floor(i / 3) % targets.length];
    return [
      { query: WAITLIST_UPDATES, variables: { sessionId }, channel: LiveChannels.waitlistSession(sessionId) },
      { query: OFFER_INVENTORY, variables: { eventId }, channel: LiveChannels.offerInventory(eventId) },
      { query: MONETIZATION_ACTIVITY, variables: { eventId }, channel: LiveChannels.monetizationActivity(eventId) },
    ][i % 3];
  };

  const listeners = async () => {
    const { feeds } = await liveStats(stack.runtime);
    return Object.values(feeds).reduce((sum, feed) => sum + feed.listeners, 0);
  };

  /** Subscribes a batch, waits until the subgraphs hold all of it, starts window timers, completes it. */
  const cycleBatch = async () => {
    const batch: Received[] = [];
    for (let i = 0; i < BATCH; i += 1) batch.push(collect(client, nth(i).query, nth(i).variables));
    const { eventId, sessionId } = targets[0];
    batch.push(collect(refusedClient, WAITLIST_UPDATES, { sessionId }));
    await eventually(async () => (await listeners()) === BATCH, 10_000, 'the batch to be subscribed');
    const publisher = livePublisher(stack.runtime);
    await publisher.publish(LiveChannels.waitlistSession(sessionId), { sessionId, eventId, kind: 'joined', at: new Date().toISOString() });
    await publisher.publish(LiveChannels.offerInventory(eventId), { eventId, offerId: '00000000-0000-4000-8000-000000000001', at: new Date().toISOString() });
    await eventually(async () => (await liveStats(stack.runtime)).feeds.waitlistUpdated?.timers === 1, 5_000, 'a window to open');
    for (const received of batch) received.stop();
    await eventually(async () => (await listeners()) === 0, 10_000, 'the batch to be gone');
  };

  const settled = async () => {
    await eventually(
      async () => {
        const stats = await liveStats(stack.runtime);
        const timers = Object.values(stats.feeds).reduce((sum, feed) => sum + feed.timers + feed.keys, 0);
        const gatewayStats = gateway.subscriptionStats();
        return (
          stats.redis.channels === 0 &&
          stats.redis.listeners === 0 &&
          timers === 0 &&
          gatewayStats.subscriptions === 0 &&
          gatewayStats.shared === 0 &&
          // The test's lazy clients close their sockets asynchronously once nothing runs on them.
          gatewayStats.connections === 0 &&
          gatewayStats.expiryTimers === 0 &&
          gatewayStats.upstream.subscriptions === 0
        );
      },
      10_000,
      'every subscription to be cleaned up',
    );
  };

  it('leaves no listener, timer, Redis or upstream subscription after 1,000 subscribe/complete cycles', async () => {
    await cycleBatch();
    await settled();
    const before = { resources: activeResources(), gateway: gateway.subscriptionStats(), live: await liveStats(stack.runtime) };

    for (let i = 0; i < BATCHES; i += 1) await cycleBatch();
    // Completed at once, often before the gateway has even reached the subgraph.
    for (let i = 0; i < IMMEDIATE; i += 1) collect(client, nth(i).query, nth(i).variables).stop();
    await settled();

    const after = { gateway: gateway.subscriptionStats(), live: await liveStats(stack.runtime) };
    expect(after.gateway).toEqual(before.gateway);
    expect(after.gateway).toMatchObject({ subscriptions: 0, shared: 0, expiryTimers: 0, upstream: { subscriptions: 0 } });
    expect(after.live).toEqual(before.live);
    expect(after.live.redis).toEqual({ channels: 0, listeners: 0 });
    for (let i = 0; i < BATCH; i += 1) expect(await numsub(stack.runtime, nth(i).channel)).toBe(0);
    // Sockets of the test's own lazy client close asynchronously; give them a moment, no more.
    const grown = () => ['Timeout', 'TCPSocketWrap'].filter((kind) => (activeResources()[kind] ?? 0) > (before.resources[kind] ?? 0));
    await eventually(() => grown().length === 0, 3_000, 'timers and sockets back to their count before the cycles').catch(() => undefined);
    expect(grown()).toEqual([]);
  });
});
