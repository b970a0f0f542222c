import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { percentile } from './load';

/**
 * The subscription side of the bench, run as its own process: `subscribers` graphql-ws clients
 * (one socket each) subscribe to one operation through a gateway; then bursts of mutations are
 * sent (straight to the subgraph, so that every gateway gets the same trigger) and every message
 * each client receives is timed and counted.
 */
export interface SubscriptionJob {
  mode: 'subscriptions';
  wsUrl: string;
  query: string;
  operationName: string;
  variables: Record<string, unknown>;
  /** Per subscriber, rotated: who the client is. */
  connectionParams: Record<string, unknown>[];
  subscribers: number;
  /** Sent one at a time until every subscriber has received a message: then all are subscribed. */
  probes: HttpRequest[];
  /** Each burst's mutations, sent at once. */
  bursts: HttpRequest[][];
  /** The server's coalescing window: bursts are spaced by more than this. */
  windowMs: number;
  /** How many changes one message reports (the sum of its counts), to check none is lost. */
  changesField: string[];
}

export interface HttpRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface BurstResult {
  mutations: number;
  mutationFailures: number;
  /** Messages received by all subscribers for this burst. */
  messages: number;
  subscribersReached: number;
  /** Messages per subscriber (1 when the burst fell in one coalescing window). */
  messagesPerSubscriber: number;
  /** Changes reported to the subscriber that saw the fewest: equals `mutations` when none is lost. */
  fewestChangesSeen: number;
  /** From the burst's first mutation sent to each delivery (includes the coalescing window). */
  latencyMs: { p50: number; p95: number; max: number };
  /** From the burst's first delivery to each delivery: how long the fan-out itself takes. */
  spreadMs: { p50: number; p95: number; max: number };
  /** Messages delivered per second while the fan-out ran. */
  deliveredPerSecond: number;
}

export interface SubscriptionLoadResult {
  subscribers: number;
  /** From each socket's subscribe to its first message, the snapshot (issue 15). */
  snapshotMs: { p50: number; p95: number; max: number };
  /** Sockets that received a snapshot before any probe was sent. */
  snapshots: number;
  /** Wall-clock (epoch ms) span from the first subscribe to the last snapshot, to count the subgraphs' SQL over it. */
  subscribeFrom: number;
  snapshotsTo: number;
  /** Until every subscriber had received its first (probe) message; includes one coalescing window. */
  subscribeAllMs: number;
  /** Probes sent until every subscriber had heard one (1 when all subscriptions were in place at once). */
  probesSent: number;
  allSubscribed: boolean;
  failures: number;
  firstFailure?: string;
  bursts: BurstResult[];
  /** Wall-clock (epoch ms) span of the bursts, to read the gateway's CPU over them alone. */
  burstsFrom: number;
  burstsTo: number;
}

interface Subscriber {
  client: Client;
  subscribedAt: number;
  firstAt?: number;
  messages: number;
  changes: number;
  received: number[];
}

const CONNECT_BATCH = 250;
const PROBE_WAIT_MS = 1_500;
/** How long the snapshots may take before probing for subscribers that have none (a gateway without them). */
const SNAPSHOT_WAIT_MS = 15_000;

export async function runSubscriptionJob(job: SubscriptionJob): Promise<SubscriptionLoadResult> {
  let failures = 0;
  let firstFailure: string | undefined;
  const fail = (what: string) => {
    failures += 1;
    firstFailure ??= what.slice(0, 200);
  };
  const subscribers: Subscriber[] = [];
  const started = performance.now();
  const subscribeFrom = Date.now();
  for (let first = 0; first < job.subscribers; first += CONNECT_BATCH) {
    const batch: Promise<void>[] = [];
    for (let i = first; i < Math.min(job.subscribers, first + CONNECT_BATCH); i += 1) {
      batch.push(
        new Promise<void>((connected) => {
          const subscriber: Subscriber = { messages: 0, changes: 0, received: [], subscribedAt: performance.now(), client: undefined as unknown as Client };
          subscriber.client = createClient({
            url: job.wsUrl,
            webSocketImpl: WebSocket,
            connectionParams: job.connectionParams[i % job.connectionParams.length],
            retryAttempts: 0,
            lazy: false,
            onNonLazyError: (error) => {
              fail(`connection: ${describe(error)}`);
              connected();
            },
            on: { connected: () => connected() },
          });
          subscriber.client.subscribe<Record<string, Record<string, number>>>(
            { query: job.query, operationName: job.operationName, variables: job.variables },
            {
              next: (result) => {
                const at = performance.now();
                if (result.errors?.length) {
                  fail(`message: ${JSON.stringify(result.errors[0])}`);
                  return;
                }
                const update = Object.values(result.data ?? {})[0] ?? {};
                subscriber.firstAt ??= at;
                subscriber.messages += 1;
                subscriber.changes += job.changesField.reduce((sum, field) => sum + (update[field] ?? 0), 0);
                subscriber.received.push(at);
              },
              error: (error) => fail(`subscription: ${describe(error)}`),
              complete: () => undefined,
            },
          );
          subscribers.push(subscriber);
        }),
      );
    }
    await Promise.all(batch);
  }

  // Every subscription begins with a snapshot: wait for them all, then probe only if some socket
  // still has nothing (the subscribe messages are in flight until each subscriber has heard something).
  let allSubscribed = await waitFor(() => subscribers.every((s) => s.messages > 0), SNAPSHOT_WAIT_MS);
  const snapshotsTo = Date.now();
  const snapshotTimes = subscribers.filter((s) => s.firstAt !== undefined).map((s) => s.firstAt! - s.subscribedAt);
  const snapshots = snapshotTimes.length;
  let probesSent = 0;
  for (const probe of allSubscribed ? [] : job.probes) {
    probesSent += 1;
    await send(probe).catch((error) => fail(`probe: ${describe(error)}`));
    allSubscribed = await waitFor(() => subscribers.every((s) => s.messages > 0), job.windowMs + PROBE_WAIT_MS);
    if (allSubscribed) break;
  }
  const subscribeAllMs = performance.now() - started;
  await sleep(job.windowMs + 500);

  const bursts: BurstResult[] = [];
  const burstsFrom = Date.now();
  for (const burst of job.bursts) {
    const before = subscribers.map((s) => ({ messages: s.messages, changes: s.changes, received: s.received.length }));
    const sentAt = performance.now();
    const outcomes = await Promise.all(burst.map((request) => send(request).then(() => true, () => false)));
    const expected = burst.length;
    await waitFor(() => subscribers.every((s, i) => s.changes - before[i].changes >= expected), job.windowMs * 3 + 10_000);
    // Messages of the burst still on their way, and a gap so the next burst opens a new window.
    await sleep(job.windowMs + 300);
    const deliveries = subscribers.flatMap((s, i) => s.received.slice(before[i].received));
    deliveries.sort((a, b) => a - b);
    const messages = deliveries.length;
    const firstDelivery = deliveries[0] ?? NaN;
    const fanOutMs = (deliveries[deliveries.length - 1] ?? NaN) - firstDelivery;
    bursts.push({
      mutations: expected,
      mutationFailures: outcomes.filter((ok) => !ok).length,
      messages,
      subscribersReached: subscribers.filter((s, i) => s.messages > before[i].messages).length,
      messagesPerSubscriber: messages / subscribers.length,
      fewestChangesSeen: Math.min(...subscribers.map((s, i) => s.changes - before[i].changes)),
      latencyMs: spreadOf(deliveries.map((at) => at - sentAt)),
      spreadMs: spreadOf(deliveries.map((at) => at - firstDelivery)),
      deliveredPerSecond: fanOutMs > 0 ? messages / (fanOutMs / 1000) : messages > 0 ? Infinity : 0,
    });
  }

  const burstsTo = Date.now();
  await Promise.all(subscribers.map((s) => s.client.dispose()));
  return {
    subscribers: subscribers.length,
    snapshotMs: spreadOf(snapshotTimes),
    snapshots,
    subscribeFrom,
    snapshotsTo,
    subscribeAllMs,
    probesSent,
    allSubscribed,
    failures,
    firstFailure,
    bursts,
    burstsFrom,
    burstsTo,
  };
}

/** POSTs one request; a non-2xx answer or GraphQL errors reject. */
export async function send(request: HttpRequest): Promise<void> {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
  });
  const text = await response.text();
  if (!response.ok || text.includes('"errors"')) throw new Error(`${response.status} ${text.slice(0, 160)}`);
}

function spreadOf(values: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] ?? NaN };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return JSON.stringify(error[0]);
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code, reason } = error as { code: unknown; reason?: unknown };
    return `closed ${String(code)} ${String(reason ?? '')}`;
  }
  return String(error);
}
