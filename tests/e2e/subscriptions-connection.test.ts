import { SignJWT } from 'jose';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { RunningGateway } from '../../gateway/server';
import { codesOf, graphql } from '../support/graphql';
import { eventually } from '../support/timing';
import { addLiveEvent, closeCodeOf, collect, liveClient, startLiveGateway, waitForListeners, WAITLIST_UPDATES, wsUrl, LiveClients } from '../support/live';
import { startStack, type TestStack } from '../support/stack';
import { TEST_JWT_SECRET, tokenFor } from '../support/tokens';

const expiredToken = () =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u-owner')
    .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
    .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));

describe('the gateway graphql-ws endpoint', () => {
  let stack: TestStack;
  let gateway: RunningGateway;
  let sessionId: string;
  const clients = new LiveClients();

  beforeAll(async () => {
    stack = await startStack({ gateway: false });
    gateway = await startLiveGateway(stack);
    ({ sessionId } = await addLiveEvent(stack.runtime.orm));
  });
  afterAll(async () => {
    await clients.dispose();
    await stack.close();
  });

  const track = (client: Client) => clients.track(client);

  it('closes with 4403 on an invalid, expired or malformed token', async () => {
    expect(await closeCodeOf(gateway.url, { authorization: `Bearer ${await tokenFor('u-owner', { secret: 'not-the-secret-0123456789abcdef' })}` })).toBe(4403);
    expect(await closeCodeOf(gateway.url, { authorization: `Bearer ${await expiredToken()}` })).toBe(4403);
    expect(await closeCodeOf(gateway.url, { authorization: 'Token abc' })).toBe(4403);
  });

  it("accepts on a subgraph's graphql-ws endpoint only connections carrying the gateway's proof", async () => {
    const waitlist = stack.subgraphUrls.waitlist!;
    expect(await closeCodeOf(waitlist, {})).toBe(4403);
    expect(await closeCodeOf(waitlist, { 'x-gateway-identity': 'forged', authorization: `Bearer ${await tokenFor('u-owner')}` })).toBe(4403);
  });

  it('closes with 4408 when no connection_init arrives within 3 seconds', async () => {
    const started = Date.now();
    expect(await closeCodeOf(gateway.url, null)).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
  });

  it('closes with 4403 without a token when WS_REQUIRE_AUTH is set, and accepts anonymous callers otherwise', async () => {
    const strict = await startLiveGateway(stack, { requireAuth: true });
    expect(await closeCodeOf(strict.url, {})).toBe(4403);
    const acknowledged = await new Promise<string>((resolve) => {
      const socket = new WebSocket(wsUrl(gateway.url), 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
      socket.on('message', (data) => {
        socket.close();
        resolve(JSON.parse(String(data)).type);
      });
    });
    expect(acknowledged).toBe('connection_ack');
  });

  it('closes the connection with 4403 when its token expires, ending its subscriptions', async () => {
    const token = await tokenFor('u-owner', { expiresIn: '2s' });
    const codes: number[] = [];
    const socket = new WebSocket(wsUrl(gateway.url), 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: WAITLIST_UPDATES, variables: { sessionId } } }));
      }
    });
    socket.on('close', (code) => codes.push(code));
    await waitForListeners(stack.runtime, 'waitlistUpdated', 1);
    expect(gateway.subscriptionStats()).toMatchObject({ connections: 1, subscriptions: 1, expiryTimers: 1 });
    await eventually(() => codes.length === 1, 5_000, 'the connection to close');
    expect(codes).toEqual([4403]);
    await waitForListeners(stack.runtime, 'waitlistUpdated', 0);
    await eventually(() => gateway.subscriptionStats().connections === 0, 5_000, 'the connection to be forgotten');
    expect(gateway.subscriptionStats()).toMatchObject({ subscriptions: 0, expiryTimers: 0 });
  });

  it('bounds the operations of one connection', async () => {
    const bounded = await startLiveGateway(stack, { maxPerConnection: 2 });
    const client = track(liveClient(bounded.url, await tokenFor('u-owner')));
    const first = collect(client, WAITLIST_UPDATES, { sessionId });
    const second = collect(client, WAITLIST_UPDATES, { sessionId });
    const third = collect(client, WAITLIST_UPDATES, { sessionId });
    await third.done;
    expect(third.errors[0].map((error: any) => error.extensions?.code)).toEqual(['BAD_REQUEST']);
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
    first.stop();
    second.stop();
  });

  it('closes with 1009 on a message larger than WS_MAX_PAYLOAD_BYTES', async () => {
    const code = await new Promise<number>((resolve) => {
      const socket = new WebSocket(wsUrl(gateway.url), 'graphql-transport-ws');
      socket.on('open', () => socket.send('x'.repeat(stack.runtime.config.subscriptions.maxPayloadBytes + 1)));
      socket.on('close', (closeCode) => resolve(closeCode));
      socket.on('error', () => undefined);
    });
    expect(code).toBe(1009);
  });

  it('pings idle connections to keep them alive', async () => {
    const lively = await startLiveGateway(stack, { keepAliveMs: 200 });
    const pinged = await new Promise<boolean>((resolve) => {
      const socket = new WebSocket(wsUrl(lively.url), 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
      socket.on('ping', () => {
        socket.close();
        resolve(true);
      });
      setTimeout(() => resolve(false), 2_000).unref();
    });
    expect(pinged).toBe(true);
  });

  it('validates operations as HTTP does', async () => {
    const invalid = 'subscription { waitlistUpdated(sessionId: "x") { nope } }';
    const http = await graphql(gateway.url, invalid, { token: await tokenFor('u-owner') });
    const ws = collect(track(liveClient(gateway.url, await tokenFor('u-owner'))), invalid, {});
    await ws.done;
    expect(codesOf(http)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(ws.errors[0].map((error: any) => error.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(ws.errors[0].map((error: any) => error.message)).toEqual(http.errors!.map((error) => error.message));

    const missingVariable = collect(track(liveClient(gateway.url, await tokenFor('u-owner'))), WAITLIST_UPDATES, {});
    await missingVariable.done;
    expect(missingVariable.errors[0].map((error: any) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers a subscription sent over HTTP with a 400 that points to graphql-ws', async () => {
    const response = await graphql(gateway.url, WAITLIST_UPDATES, { variables: { sessionId }, token: await tokenFor('u-owner') });
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['BAD_REQUEST']);
  });

  it('serves queries over the socket through the same pipeline as HTTP', async () => {
    const query = 'query Capacity($sessionId: ID!) { sessionCapacity(sessionId: $sessionId) { total available } }';
    const client = track(liveClient(gateway.url, await tokenFor('u-owner')));
    const result = collect(client, query, { sessionId });
    await result.done;
    expect(result.data).toEqual([{ data: { sessionCapacity: { total: 5, available: 5 } } }]);
    const hidden = collect(track(liveClient(gateway.url, await tokenFor('u-outsider'))), query, { sessionId });
    await hidden.done;
    expect(hidden.data[0].errors.map((error: any) => error.extensions?.code)).toEqual(['NOT_FOUND']);
  });
});
