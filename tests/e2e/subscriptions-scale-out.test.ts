import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { LiveChannels, type WaitlistChange } from '../../kernel/contracts/live-channels';
import { eventually, sleep } from '../support/timing';
import { addLiveEvent, collect, livePublisher, numsub, startLiveGateway, waitForListeners, WAITLIST_UPDATES, wsUrl, type Received, LiveClients } from '../support/live';
import { startGateway } from '../../gateway/server';
import { readSupergraph } from '../../gateway/supergraph';
import { startSubgraph } from '../../kernel/subgraph/server';
import { waitlistSubgraph } from '../../subgraphs/waitlist';
import { freePort } from '../support/ports';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

/**
 * Two replicas, each a process of its own in production: A and B each run a gateway and the
 * subgraphs (a waitlist instance among them) with their own Redis subscriber connection.
 */
describe('subscriptions across replicas', () => {
  let a: TestStack;
  let b: TestStack;
  let eventId: string;
  let sessionId: string;
  const clients = new LiveClients();

  beforeAll(async () => {
    a = await startStack({ env: { SUBSCRIPTION_WINDOW_MS: '300' } });
    b = await startStack({ env: { SUBSCRIPTION_WINDOW_MS: '300' } });
    ({ eventId, sessionId } = await addLiveEvent(a.runtime.orm));
  });
  afterAll(async () => {
    await clients.dispose();
    await Promise.all([a.close(), b.close()]);
  });

  const change = (kind: WaitlistChange['kinds'][number]): WaitlistChange => ({ sessionId, eventId, kinds: [kind], at: new Date().toISOString() });
  /** The messages after the first: a subscription begins with its snapshot (issue 15). */
  const snapshotsIn = (subscribers: Received[]) =>
    eventually(() => subscribers.every((subscriber) => subscriber.data.length === 1), 5_000, 'the snapshots');

  /** A gateway of its own whose waitlist subgraph is one replica on a fixed address (so a replacement can take it). */
  const gatewayOnOneWaitlistReplica = async (name: string) => {
    const listen = { host: '127.0.0.1', port: await freePort() };
    const replica = await startSubgraph(waitlistSubgraph, b.runtime, listen);
    const gateway = await startGateway({
      config: b.runtime.config,
      logger: b.runtime.logger,
      supergraphSdl: await readSupergraph(),
      subgraphUrls: { ...b.subgraphUrls, waitlist: replica.url },
      port: 0,
      host: '127.0.0.1',
    });
    b.runtime.shutdown.register(name, () => gateway.dispose());
    return { listen, gateway, replica };
  };

  it("delivers a change published on replica A's side to subscribers of gateway B", async () => {
    const onB = ['u-owner', 'u-staff'].map(async (userId) => {
      const client = await clients.as(b.gatewayUrl, userId);
      return collect(client, WAITLIST_UPDATES, { sessionId });
    });
    const subscribersOfB = await Promise.all(onB);
    const clientOfA = await clients.as(a.gatewayUrl, 'u-staff');
    const subscriberOfA = collect(clientOfA, WAITLIST_UPDATES, { sessionId });
    await waitForListeners(b.runtime, 'waitlistUpdated', 2);
    await waitForListeners(a.runtime, 'waitlistUpdated', 1);
    // One Redis subscription per process, however many subscribers it serves.
    expect(await numsub(a.runtime, LiveChannels.waitlistSession(sessionId))).toBe(2);
    await snapshotsIn([...subscribersOfB, subscriberOfA]);

    await livePublisher(a.runtime).publish(LiveChannels.waitlistSession(sessionId), change('joined'));
    await livePublisher(a.runtime).publish(LiveChannels.waitlistSession(sessionId), change('joined'));

    await eventually(() => [...subscribersOfB, subscriberOfA].every((subscriber) => subscriber.data.length === 2), 5_000, 'the update on both gateways');
    for (const subscriber of [...subscribersOfB, subscriberOfA]) {
      expect(subscriber.data[1].data.waitlistUpdated).toMatchObject({ sessionId, joined: 2, left: 0 });
    }
    for (const subscriber of [...subscribersOfB, subscriberOfA]) subscriber.stop();
    await waitForListeners(b.runtime, 'waitlistUpdated', 0);
    await waitForListeners(a.runtime, 'waitlistUpdated', 0);
    await eventually(async () => (await numsub(a.runtime, LiveChannels.waitlistSession(sessionId))) === 0, 5_000, 'no Redis subscription left');
  });

  it('lets clients resubscribe after a gateway restart, leaving nothing of the old subscriptions behind', async () => {
    const port = await freePort();
    const first = await startLiveGateway(b, {}, port);
    const token = await tokenFor('u-owner');
    const client = createClient({
      url: wsUrl(first.url),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 20,
      retryWait: () => sleep(100),
      shouldRetry: () => true,
    });
    clients.track(client);
    const subscriber = collect(client, WAITLIST_UPDATES, { sessionId });
    await waitForListeners(b.runtime, 'waitlistUpdated', 1);

    await first.dispose();
    await waitForListeners(b.runtime, 'waitlistUpdated', 0);
    const second = await startLiveGateway(b, {}, port);
    await waitForListeners(b.runtime, 'waitlistUpdated', 1);
    expect(second.subscriptionStats()).toMatchObject({ connections: 1, subscriptions: 1 });
    // The resubscription begins with a fresh snapshot, read after its listener is registered; a
    // change published before that read is the snapshot's, so publish until one is heard.
    await eventually(
      async () => {
        if (subscriber.data.some((result) => result.data.waitlistUpdated.left >= 1)) return true;
        await livePublisher(a.runtime).publish(LiveChannels.waitlistSession(sessionId), change('left'));
        return false;
      },
      5_000,
      'the update after the restart',
    );
    expect(first.subscriptionStats()).toMatchObject({ connections: 0, subscriptions: 0, upstream: { subscriptions: 0 } });
    subscriber.stop();
    await waitForListeners(b.runtime, 'waitlistUpdated', 0);
  });

  it('ends subscriptions with SERVICE_DEGRADED when no replica answers within the retry budget, and serves new ones from a replacement', async () => {
    const { listen, gateway, replica: firstReplica } = await gatewayOnOneWaitlistReplica('fault gateway');
    let replica = firstReplica;
    const client = await clients.as(gateway.url, 'u-owner');
    const before = collect(client, WAITLIST_UPDATES, { sessionId });
    await eventually(() => gateway.subscriptionStats().upstream.subscriptions === 1, 5_000, 'the upstream subscription');

    await replica.dispose();
    await before.done;
    expect(before.errors[0].map((error: any) => error.extensions?.code)).toEqual(['SERVICE_DEGRADED']);
    expect(gateway.subscriptionStats()).toMatchObject({ subscriptions: 0, shared: 0, upstream: { subscriptions: 0 } });

    replica = await startSubgraph(waitlistSubgraph, b.runtime, listen);
    b.runtime.shutdown.register('replacement replica', () => replica.dispose());
    const after = collect(client, WAITLIST_UPDATES, { sessionId });
    await eventually(() => gateway.subscriptionStats().upstream.connections === 1, 5_000, 'a new upstream connection');
    await waitForListeners(b.runtime, 'waitlistUpdated', 1);
    await snapshotsIn([after]);
    await livePublisher(a.runtime).publish(LiveChannels.waitlistSession(sessionId), change('removed'));
    await eventually(() => after.data.length === 2, 5_000, 'the update from the replacement');
    expect(after.data[1].data.waitlistUpdated).toMatchObject({ removed: 1 });
    after.stop();
  });

  it('resumes a subscription on a replacement replica with a fresh snapshot, without an error for the subscriber', async () => {
    const { listen, gateway, replica: firstReplica } = await gatewayOnOneWaitlistReplica('resume gateway');
    let replica = firstReplica;
    const client = await clients.as(gateway.url, 'u-owner');
    const subscriber = collect(client, WAITLIST_UPDATES, { sessionId });
    await snapshotsIn([subscriber]);

    // The replica dies and another takes its place behind the same address (a Kubernetes Service).
    await replica.dispose();
    replica = await startSubgraph(waitlistSubgraph, b.runtime, listen);
    b.runtime.shutdown.register('resumed replica', () => replica.dispose());
    await eventually(() => subscriber.data.length === 2, 15_000, 'the snapshot from the replacement');

    await waitForListeners(b.runtime, 'waitlistUpdated', 1);
    // As after a gateway restart: a change published before the new snapshot's read is the snapshot's.
    await eventually(
      async () => {
        if (subscriber.data.slice(2).some((result) => result.data.waitlistUpdated.removed >= 1)) return true;
        await livePublisher(a.runtime).publish(LiveChannels.waitlistSession(sessionId), change('removed'));
        return false;
      },
      5_000,
      'the update after the resume',
    );
    expect(subscriber.errors).toEqual([]);
    expect(gateway.subscriptionStats().upstream.subscriptions).toBe(1);
    subscriber.stop();
  });
});
