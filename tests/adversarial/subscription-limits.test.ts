import { LiveChannels, type MonetizationActivity } from '../../kernel/contracts/live-channels';
import type { RunningGateway } from '../../gateway/server';
import { eventually } from '../support/timing';
import { HOSTILE_SUBSCRIPTIONS, KIND_WORDS } from '../support/hostile-operations';
import { addLiveEvent, collect, livePublisher, liveStats, startLiveGateway, waitForListeners, LiveClients } from '../support/live';
import { startStack, type TestStack } from '../support/stack';

/**
 * Issue 23: HTTP refused `offerInventoryChanged { offer { purchases { offer { purchases … } } } }`,
 * graphql-ws accepted it, and one purchase then built a 13 MB message. Every limit of HTTP applies
 * when a subscription starts, and each event's message is bounded.
 */
describe('operation limits on subscriptions over graphql-ws', () => {
  let stack: TestStack;
  let eventId: string;
  let smallEvents: RunningGateway;
  const clients = new LiveClients();

  beforeAll(async () => {
    stack = await startStack({ kafka: true, env: { NODE_ENV: 'production', SUBSCRIPTION_WINDOW_MS: '100' } });
    ({ eventId } = await addLiveEvent(stack.runtime.orm));
    // A gateway whose events may produce at most 200 bytes each.
    smallEvents = await startLiveGateway(stack, { maxEventBytes: 200 });
  });
  afterAll(async () => {
    await clients.dispose();
    await stack.close();
  });

  const client = (url = stack.gatewayUrl) => clients.as(url, 'u-owner');

  it.each(HOSTILE_SUBSCRIPTIONS)('refuses a subscription %s when it starts, naming the limit, and opens nothing upstream', async (_what, kind, query) => {
    const received = collect(await client(smallEvents.url), query, { eventId });
    await received.done;
    expect(received.data).toEqual([]);
    const errors = received.errors[0] as { message: string; extensions?: Record<string, unknown> }[];
    expect(Array.isArray(errors)).toBe(true);
    expect(errors[0]!.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: kind });
    expect(errors[0]!.message).toMatch(KIND_WORDS[kind]);
    expect(errors[0]!.message).not.toMatch(/Syntax Error|\b(12|15|3000|25|10000)\b/);
    expect((await liveStats(stack.runtime)).feeds.offerInventoryChanged?.listeners ?? 0).toBe(0);
    expect(smallEvents.subscriptionStats().upstream.subscriptions).toBe(0);
  });

  it.each([
    ['a missing variable', {}, 'eventId'],
    ['a mistyped variable', { eventId: { id: 'ev' } }, 'eventId'],
  ])('refuses a subscription with %s as BAD_USER_INPUT naming the field', async (_what, variables, field) => {
    const query = 'subscription Activity($eventId: ID!) { monetizationActivity(eventId: $eventId) { kind } }';
    const received = collect(await client(), query, variables);
    await received.done;
    expect(received.errors[0][0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('replaces an event whose message would be larger than the bound by an error, and keeps serving the subscription', async () => {
    const small = collect(await client(smallEvents.url), 'subscription Small($eventId: ID!) { monetizationActivity(eventId: $eventId) { kind } }', { eventId });
    const aliases = Array.from({ length: 12 }, (_, i) => `k${i}: kind`).join(' ');
    const large = collect(await client(smallEvents.url), `subscription Large($eventId: ID!) { monetizationActivity(eventId: $eventId) { ${aliases} at } }`, { eventId });
    await waitForListeners(stack.runtime, 'monetizationActivity', 2);
    const publish = (at: string) => {
      const activity: MonetizationActivity = { eventId, kind: 'AdClicked', at, adId: '00000000-0000-4000-8000-000000000001' };
      return livePublisher(stack.runtime).publish(LiveChannels.monetizationActivity(eventId), activity);
    };
    await publish('2026-12-01T10:00:00.000Z');
    await publish('2026-12-01T10:01:00.000Z');
    await eventually(() => small.data.length === 2 && large.data.length === 2, 5_000, 'both events on both subscriptions');

    expect(small.data).toEqual([{ data: { monetizationActivity: { kind: 'AdClicked' } } }, { data: { monetizationActivity: { kind: 'AdClicked' } } }]);
    for (const result of large.data) {
      expect(result.data).toBeUndefined();
      expect(result.errors).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'result size' } })]);
    }
    expect(large.completed).toBe(false);
  });
});
