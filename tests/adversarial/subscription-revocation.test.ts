import type { Client } from 'graphql-ws';
import { LiveChannels } from '../../kernel/contracts/live-channels';
import { SeedFile } from '../../kernel/contracts/platform-records';
import { applySeed } from '../../kernel/platform/seed';
import { eventually } from '../support/timing';
import { addLiveEvent, collect, liveClient, livePublisher, MONETIZATION_ACTIVITY, waitForListeners } from '../support/live';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

describe('an open subscription after its subscriber loses access', () => {
  let stack: TestStack;
  let client: Client;

  beforeAll(async () => {
    stack = await startStack({ env: { SUBSCRIPTION_WINDOW_MS: '100' } });
  });
  afterAll(async () => {
    await client?.dispose();
    await stack.close();
  });

  it('stops delivering monetization activity once the member leaves the organization', async () => {
    const { eventId } = await addLiveEvent(stack.runtime.orm);
    client = liveClient(stack.gatewayUrl, await tokenFor('u-staff'));
    const received = collect(client, MONETIZATION_ACTIVITY, { eventId });
    await waitForListeners(stack.runtime, 'monetizationActivity', 1);
    const publish = (at: string) =>
      livePublisher(stack.runtime).publish(LiveChannels.monetizationActivity(eventId), { eventId, kind: 'AdClicked', at });

    await publish('2026-12-01T10:00:00.000Z');
    await eventually(() => received.data.length === 1, 5_000, 'the first activity');
    expect(received.data[0].errors).toBeUndefined();

    // The platform removes u-staff from org-acme.
    await applySeed(stack.runtime.orm, SeedFile.parse({ organizations: [{ id: 'org-acme', name: 'Acme Events', members: ['u-owner'] }] }));
    await publish('2026-12-01T10:05:00.000Z');
    await eventually(() => received.data.length + received.errors.length >= 2, 5_000, 'the answer to the second activity');

    const successful = received.data.filter((result) => !result.errors && result.data?.monetizationActivity);
    expect(successful).toHaveLength(1);
    expect(JSON.stringify([...received.data.slice(1), ...received.errors])).toMatch(/FORBIDDEN|NOT_FOUND/);
  });
});
