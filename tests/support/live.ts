import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { liveHubOf, type LiveStats } from '../../kernel/live/hub';
import { RedisLivePublisher } from '../../kernel/live/live-publisher';
import { SeedFile } from '../../kernel/contracts/platform-records';
import { applySeed } from '../../kernel/platform/seed';
import type { Runtime } from '../../kernel/runtime';
import { startGateway, type RunningGateway } from '../../gateway/server';
import type { Config } from '../../kernel/config';
import { eventually } from './timing';
import type { TestStack } from './stack';
import { tokenFor } from './tokens';

/**
 * An event and a session of their own for a test file. Redis pub/sub channels are not scoped by
 * database index, and other suites publish on the fixture's sessions and events: ids nobody else
 * uses keep their messages out of our counts.
 */
export async function addLiveEvent(orm: MikroORM, options: { isPublic?: boolean } = {}) {
  const suffix = randomUUID().slice(0, 8);
  const eventId = `ev-live-${suffix}`;
  const sessionId = `s-live-${suffix}`;
  await applySeed(
    orm,
    SeedFile.parse({
      events: [
        {
          id: eventId,
          organizationId: 'org-acme',
          ownerId: 'u-owner',
          name: `Live ${suffix}`,
          isPublic: options.isPublic ?? false,
          currency: 'USD',
          sessions: [{ id: sessionId, title: 'Live session', capacity: 5, startsAt: '2026-12-01T09:00:00Z' }],
        },
      ],
      registrations: [{ userId: 'u-guest', eventId, ticketTier: 'GENERAL' }],
    }),
  );
  return { eventId, sessionId };
}

/** Publishes on a live channel as the domain's mutations do, after their commit. */
export function livePublisher(runtime: Runtime): RedisLivePublisher {
  return new RedisLivePublisher(runtime.redis, (error) => {
    throw error;
  });
}

/**
 * One more gateway in front of a stack's subgraphs, with its HTTP server in reach (to count the
 * requests it serves); it closes with the stack.
 */
export async function startLiveGateway(
  stack: TestStack,
  subscriptions: Partial<Config['subscriptions']> = {},
  port = 0,
): Promise<RunningGateway> {
  const supergraphSdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
  const { logger } = stack.runtime;
  const config = { ...stack.runtime.config, subscriptions: { ...stack.runtime.config.subscriptions, ...subscriptions } };
  const gateway = await startGateway({ config, logger, supergraphSdl, subgraphUrls: stack.subgraphUrls, port, host: '127.0.0.1' });
  stack.runtime.shutdown.register('live test gateway', () => gateway.dispose());
  return gateway;
}

/** Counts the HTTP requests a server receives from now on. */
export function countRequests(gateway: RunningGateway): { count(): number; stop(): void } {
  let count = 0;
  const onRequest = () => {
    count += 1;
  };
  gateway.httpServer.on('request', onRequest);
  return { count: () => count, stop: () => gateway.httpServer.off('request', onRequest) };
}

export const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

export interface Received {
  data: any[];
  errors: any[];
  completed: boolean;
  done: Promise<void>;
  stop(): void;
}

/** A graphql-ws client as a dashboard would open it, with `connection_init` carrying the token. */
export function liveClient(gatewayUrl: string, token?: string): Client {
  return createClient({
    url: wsUrl(gatewayUrl),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes and records what arrives: `next` payloads, the `error` message, completion. */
export function collect(client: Client, query: string, variables: Record<string, unknown>): Received {
  let settle: () => void;
  const received: Received = {
    data: [],
    errors: [],
    completed: false,
    done: new Promise<void>((resolve) => {
      settle = resolve;
    }),
    stop: () => undefined,
  };
  received.stop = client.subscribe(
    { query, variables },
    {
      next: (result) => {
        received.data.push(result);
      },
      error: (error) => {
        received.errors.push(error);
        settle();
      },
      complete: () => {
        received.completed = true;
        settle();
      },
    },
  );
  return received;
}

/** The close code the gateway answers a raw graphql-ws socket with, after sending `init` (or nothing). */
export function closeCodeOf(gatewayUrl: string, init: Record<string, unknown> | null, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(gatewayUrl), 'graphql-transport-ws');
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('the gateway did not close the socket'));
    }, timeoutMs);
    socket.on('open', () => {
      if (init) socket.send(JSON.stringify({ type: 'connection_init', payload: init }));
    });
    socket.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    socket.on('error', () => undefined);
  });
}

/** This process's live side of a stack: Redis channels, listeners, timers. */
export async function liveStats(runtime: Runtime): Promise<LiveStats> {
  return (await liveHubOf(runtime)).stats();
}

/** Waits until the subgraphs of a runtime hold `listeners` subscribers of a feed. */
export async function waitForListeners(runtime: Runtime, feed: string, listeners: number, timeoutMs = 10_000): Promise<void> {
  await eventually(
    async () => ((await liveStats(runtime)).feeds[feed]?.listeners ?? 0) === listeners,
    timeoutMs,
    `${listeners} listeners on ${feed}`,
  );
}

/** The graphql-ws clients one test file opens, disposed together in its `afterAll`. */
export class LiveClients {
  private readonly open: Client[] = [];

  /** Keeps `client` to dispose with the others, and returns it. */
  track<T extends Client>(client: T): T {
    this.open.push(client);
    return client;
  }

  /** A client of the gateway at `gatewayUrl`, signed in as `userId` (anonymous without one). */
  async as(gatewayUrl: string, userId?: string): Promise<Client> {
    return this.track(liveClient(gatewayUrl, userId ? await tokenFor(userId) : undefined));
  }

  async dispose(): Promise<void> {
    await Promise.all(this.open.splice(0).map((client) => client.dispose()));
  }
}

/** Redis's own count of subscribers of a channel, over every connection of the server. */
export async function numsub(runtime: Runtime, channel: string): Promise<number> {
  const reply = (await runtime.redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
  return Number(reply[1]);
}

export const WAITLIST_UPDATES = /* GraphQL */ `
  subscription WaitlistUpdates($sessionId: ID!) {
    waitlistUpdated(sessionId: $sessionId) {
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

export const OFFER_INVENTORY = /* GraphQL */ `
  subscription OfferInventory($eventId: ID!) {
    offerInventoryChanged(eventId: $eventId) {
      offer { id title inventory { total sold reserved available } }
    }
  }
`;

export const MONETIZATION_ACTIVITY = /* GraphQL */ `
  subscription MonetizationActivity($eventId: ID!) {
    monetizationActivity(eventId: $eventId) {
      kind
      at
      amount { amountCents currency formatted }
      offer { id title }
    }
  }
`;
