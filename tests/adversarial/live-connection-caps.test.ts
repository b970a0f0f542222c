import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { eventually } from '../support/timing';
import { addLiveEvent, OFFER_INVENTORY } from '../support/live';
import { openRawSocket, type RawSocket } from '../support/raw-socket';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

describe('caps on live connections (sockets and subscriptions per caller, per anonymous address, in all)', () => {
  let stack: TestStack;
  let gateway: RunningGateway;
  let eventId: string;
  const sockets: RawSocket[] = [];

  const open = (payload: unknown, headers?: Record<string, string>) => {
    const socket = openRawSocket(gateway.url, payload, headers);
    sockets.push(socket);
    return socket;
  };
  const closeAll = async () => {
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    await eventually(() => gateway.subscriptionStats().connections === 0, 10_000, 'every socket closed');
  };

  beforeAll(async () => {
    stack = await startStack({ gateway: false });
    const config = {
      ...stack.runtime.config,
      trustedProxyHeader: 'x-forwarded-for',
      subscriptions: {
        ...stack.runtime.config.subscriptions,
        maxSocketsPerCaller: 2,
        maxSubscriptionsPerCaller: 3,
        maxSockets: 6,
        maxSubscriptions: 5,
      },
    };
    const supergraphSdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
    gateway = await startGateway({ config, logger: stack.runtime.logger, supergraphSdl, subgraphUrls: stack.subgraphUrls, port: 0, host: '127.0.0.1' });
    stack.runtime.shutdown.register('capped gateway', () => gateway.dispose());
    ({ eventId } = await addLiveEvent(stack.runtime.orm, { isPublic: true }));
  });
  afterEach(closeAll);
  afterAll(() => stack.close());

  it('refuses a user a third socket with close code 4429 and a reason, whatever the token', async () => {
    const first = open({ authorization: `Bearer ${await tokenFor('u-vip')}` });
    const second = open({ authorization: `Bearer ${await tokenFor('u-vip')}` });
    expect([await first.outcome, await second.outcome]).toEqual(['ack', 'ack']);
    const third = open({ authorization: `Bearer ${await tokenFor('u-vip')}` });
    expect(await third.closed).toEqual({ code: 4429, reason: expect.stringMatching(/At most 2 live connections per caller/) });
    // Another user is not affected.
    expect(await open({ authorization: `Bearer ${await tokenFor('u-guest')}` }).outcome).toBe('ack');
  });

  it('counts anonymous callers per address (the last x-forwarded-for entry), not all together', async () => {
    const from = (address: string) => open({}, { 'x-forwarded-for': `198.51.100.99, ${address}` });
    expect(await from('203.0.113.1').outcome).toBe('ack');
    expect(await from('203.0.113.1').outcome).toBe('ack');
    expect(await from('203.0.113.1').outcome).toBe(4429);
    // A spoofed first entry does not make a new caller; another address does.
    expect(await open({}, { 'x-forwarded-for': `203.0.113.50, 203.0.113.1` }).outcome).toBe(4429);
    expect(await from('203.0.113.2').outcome).toBe('ack');
  });

  it('refuses a subscription over the per-caller cap with an error naming it, across the caller\'s sockets', async () => {
    const token = await tokenFor('u-vip');
    const [a, b] = [open({ authorization: `Bearer ${token}` }), open({ authorization: `Bearer ${token}` })];
    await Promise.all([a.outcome, b.outcome]);
    a.subscribe('1', OFFER_INVENTORY, { eventId });
    a.subscribe('2', OFFER_INVENTORY, { eventId });
    b.subscribe('3', OFFER_INVENTORY, { eventId });
    await eventually(() => gateway.subscriptionStats().caps.subscriptions === 3, 10_000, 'three subscriptions');
    b.subscribe('4', OFFER_INVENTORY, { eventId });
    await eventually(() => b.messages.some((message) => message.id === '4'), 10_000, 'an answer to the fourth');
    const refused = b.messages.find((message) => message.id === '4');
    expect(refused.type).toBe('error');
    expect(refused.payload[0]).toMatchObject({ extensions: { code: 'BAD_REQUEST', reason: 'TOO_MANY_SUBSCRIPTIONS' } });
    expect(refused.payload[0].message).toMatch(/At most 3 subscriptions per caller/);

    // Completing one gives its place back.
    a.send({ id: '1', type: 'complete' });
    await eventually(() => gateway.subscriptionStats().caps.subscriptions === 2, 10_000, 'the completed one released');
    b.subscribe('5', OFFER_INVENTORY, { eventId });
    await eventually(() => gateway.subscriptionStats().caps.subscriptions === 3, 10_000, 'the fifth admitted');
    expect(b.messages.find((message) => message.id === '5')).toBeUndefined();
  });

  it('caps subscriptions and sockets for the whole gateway', async () => {
    const users = ['u-owner', 'u-staff', 'u-vip', 'u-guest'];
    const opened = await Promise.all(users.map(async (user) => open({ authorization: `Bearer ${await tokenFor(user)}` })));
    await Promise.all(opened.map((socket) => socket.outcome));
    opened.forEach((socket) => socket.subscribe('a', OFFER_INVENTORY, { eventId }));
    opened.slice(0, 1).forEach((socket) => socket.subscribe('b', OFFER_INVENTORY, { eventId }));
    await eventually(() => gateway.subscriptionStats().caps.subscriptions === 5, 10_000, 'five subscriptions');
    opened[1].subscribe('c', OFFER_INVENTORY, { eventId });
    await eventually(() => opened[1].messages.some((message) => message.id === 'c'), 10_000, 'an answer');
    expect(opened[1].messages.find((message) => message.id === 'c').payload[0].message).toMatch(/as many subscriptions as it can/);

    // Six sockets in all: two more anonymous ones fit, the seventh is refused before connection_init.
    expect(await open({}, { 'x-forwarded-for': '203.0.113.7' }).outcome).toBe('ack');
    expect(await open({}, { 'x-forwarded-for': '203.0.113.8' }).outcome).toBe('ack');
    expect(await open({}, { 'x-forwarded-for': '203.0.113.9' }).outcome).toBe(4429);
  });

  it('gives everything back when sockets close: counts, callers and upstream subscriptions return to zero', async () => {
    const before = gateway.subscriptionStats();
    expect(before.caps).toEqual({ sockets: 0, subscriptions: 0, callers: 0 });
    for (let round = 0; round < 3; round += 1) {
      const opened = await Promise.all(['u-owner', 'u-vip'].map(async (user) => open({ authorization: `Bearer ${await tokenFor(user)}` })));
      opened.push(open({}, { 'x-forwarded-for': `203.0.113.${20 + round}` }));
      await Promise.all(opened.map((socket) => socket.outcome));
      opened.forEach((socket) => socket.subscribe('s', OFFER_INVENTORY, { eventId }));
      await eventually(() => gateway.subscriptionStats().caps.subscriptions === 3, 10_000, 'three subscriptions');
      await closeAll();
      await eventually(() => gateway.subscriptionStats().upstream.subscriptions === 0, 10_000, 'upstream released');
      const after = gateway.subscriptionStats();
      expect(after.caps).toEqual({ sockets: 0, subscriptions: 0, callers: 0 });
      expect({ connections: after.connections, subscriptions: after.subscriptions, shared: after.shared, expiryTimers: after.expiryTimers }).toEqual({
        connections: 0,
        subscriptions: 0,
        shared: 0,
        expiryTimers: 0,
      });
    }
  });

  it('closes with 4403 when connection_init carries an authorization that is not a string', async () => {
    for (const authorization of [42, ['Bearer x'], { token: 'x' }, true]) {
      expect((await open({ authorization }).closed).code).toBe(4403);
    }
  });
});
