import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../kernel/config';
import { recreateDatabase } from '../kernel/db/recreate-database';
import { createLogger } from '../kernel/logger';
import { createRuntime, type Runtime } from '../kernel/runtime';
import { allEntities } from '../subgraphs/entities';
import { Offer } from '../subgraphs/offers/entities/offer';
import { freePort } from '../tests/support/ports';
import { tokenFor } from '../tests/support/tokens';
import { BENCH_JWT_SECRET, BENCH_SUBGRAPH_SECRET, buyerId, FLASH_BUYERS, organizerId, seedBenchData } from './stack';
import { dashboardBody, joinWaitlistBody, leaveWaitlistBody, purchaseBody, sessionCapacityBody, updateSessionCapacityBody, waitlistUpdatesOperation } from './scenarios';
import { Balancer } from './soak/balancer';
import { deliveriesOnKafka, inventoryOf, offeredEntries, unsent } from './soak/checks';
import { send, subscribe, type Outcome, type Subscriber } from './soak/load';
import { Replica, type Kind } from './soak/replicas';
import { classifyFailures, type KillWindow } from './soak/windows';

/**
 * `npm run soak [-- --seconds=180 --stock=60]`: 2 gateways and 2 replicas of each subgraph as
 * separate processes on loopback, against this checkout's PostgreSQL, Redis and Kafka
 * (`npm run services:up`), under dashboard queries, purchases of a limited-stock offer, waitlist
 * joins and leaves, and subscriptions, while one replica of each kind in turn is SIGKILLed and
 * restarted. Then: no oversell, every WaitlistOfferSent on Kafka once, every subscriber's last
 * totals equal the database's, no 5xx outside the kill windows. Exits 1 if a check fails.
 */

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const SECONDS = arg('seconds', 180);
const STOCK = arg('stock', 60);
const SESSIONS = ['s-soak-1', 's-soak-2', 's-soak-3'];
const SUBGRAPH_KINDS: Kind[] = ['offers', 'ads', 'waitlist', 'analytics'];
/** One replica of each kind is killed in turn, evenly over the run. */
const KILL_ORDER: Kind[] = ['offers', 'waitlist', 'gateway', 'analytics', 'ads'];
const ROOT = path.resolve(__dirname, '..');

function servicesEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  const file = path.join(ROOT, '.services/env');
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match) env[match[1]] = match[2];
  }
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS']) {
    if (!env[name]) throw new Error(`${file} has no ${name}: run \`npm run services:up\` first.`);
  }
  return env;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function seed(databaseUrl: string, redisUrl: string): Promise<{ runtime: Runtime; offerId: string }> {
  await recreateDatabase(databaseUrl);
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    KAFKA_BROKERS: '',
    AUTH_JWT_SECRET: BENCH_JWT_SECRET,
    SUBGRAPH_SECRET: BENCH_SUBGRAPH_SECRET,
  });
  const runtime = await createRuntime(config, createLogger('silent'), { entities: allEntities, workers: false });
  const redis = runtime.redis as unknown as { status: string; once(event: string, fn: () => void): void };
  if (redis.status !== 'ready') await new Promise<void>((resolve) => redis.once('ready', resolve));
  await runtime.redis.flushdb();
  await seedBenchData(runtime);
  for (const sessionId of SESSIONS) {
    await runtime.orm.em.fork().execute(
      `insert into platform_sessions (id, event_id, title, capacity, starts_at) values (?, 'ev-public', ?, 5, '2026-12-03T10:00:00Z')`,
      [sessionId, `Soak ${sessionId}`],
    );
  }
  // Free, so a purchase completes in its own request (paid ones wait for the payment provider).
  const offer = new Offer('ev-public', 'Soak limited edition', 'DIGITAL', 0, 'EUR');
  offer.inventoryTotal = STOCK;
  await runtime.orm.em.fork().persistAndFlush(offer);
  return { runtime, offerId: offer.id };
}

async function main(): Promise<void> {
  const services = servicesEnv();
  const databaseUrl = Object.assign(new URL(services.DATABASE_URL), { pathname: '/monetization_soak' }).toString();
  // A Redis database of its own (pub/sub channels are not scoped by it, but no test runs beside).
  const redisUrl = `${services.REDIS_URL.replace(/\/\d*$/, '')}/7`;
  const runId = Date.now().toString(36);
  const logDir = path.join(os.tmpdir(), `soak-${runId}`);
  mkdirSync(logDir, { recursive: true });
  console.log(`soak: ${SECONDS} s, stock ${STOCK}, logs in ${logDir}`);

  const { runtime, offerId } = await seed(databaseUrl, redisUrl);
  const replicas: Replica[] = [];
  const balancers = new Map<Kind, Balancer>();
  const subgraphPorts = new Map<Kind, number[]>();
  for (const kind of SUBGRAPH_KINDS) {
    subgraphPorts.set(kind, [await freePort(), await freePort()]);
    const balancer = new Balancer(() => subgraphPorts.get(kind)!);
    await balancer.start();
    balancers.set(kind, balancer);
  }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '5',
    REDIS_URL: redisUrl,
    KAFKA_BROKERS: services.KAFKA_BROKERS,
    KAFKA_GROUP_PREFIX: `soak-${runId}-`,
    AUTH_JWT_SECRET: BENCH_JWT_SECRET,
    SUBGRAPH_SECRET: BENCH_SUBGRAPH_SECRET,
    RUN_MIGRATIONS: 'false',
    SUBGRAPH_HOST: '127.0.0.1',
    GATEWAY_HOST: '127.0.0.1',
    OUTBOX_POLL_MS: '200',
    SHUTDOWN_DRAIN_MS: '0',
    RATE_LIMIT_PURCHASES_PER_MINUTE: '100000',
    RATE_LIMIT_JOINS_PER_MINUTE: '100000',
    WS_MAX_SOCKETS_PER_CALLER: '1000',
    WS_MAX_SUBSCRIPTIONS_PER_CALLER: '1000',
    ...Object.fromEntries(SUBGRAPH_KINDS.map((kind) => [`${kind.toUpperCase()}_URL`, `http://127.0.0.1:${balancers.get(kind)!.port}/graphql`])),
  };
  for (const kind of SUBGRAPH_KINDS) subgraphPorts.get(kind)!.forEach((port, index) => replicas.push(new Replica(kind, index, port, env, logDir)));
  const gatewayPorts = [await freePort(), await freePort()];
  gatewayPorts.forEach((port, index) => replicas.push(new Replica('gateway', index, port, env, logDir)));

  const subscribers: Subscriber[] = [];
  const outcomes: Outcome[] = [];
  const windows: KillWindow[] = [];
  try {
    const startedAt = Date.now();
    const subgraphReplicas = replicas.filter((r) => r.kind !== 'gateway');
    // Two at a time: ten processes compiling TypeScript at once starve a small machine.
    for (let i = 0; i < subgraphReplicas.length; i += 2) {
      const pair = subgraphReplicas.slice(i, i + 2);
      pair.forEach((r) => r.start());
      await Promise.all(pair.map((r) => r.waitReady()));
    }
    const gateways = replicas.filter((r) => r.kind === 'gateway');
    gateways.forEach((r) => r.start());
    await Promise.all(gateways.map((r) => r.waitReady()));
    console.log(`soak: ${replicas.length} processes ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);

    const ownerToken = await tokenFor('u-owner', { secret: BENCH_JWT_SECRET, expiresIn: '2h' });
    const buyerTokens = await Promise.all(Array.from({ length: FLASH_BUYERS }, (_, i) => tokenFor(buyerId(i), { secret: BENCH_JWT_SECRET, expiresIn: '2h' })));
    const organizerTokens = await Promise.all(Array.from({ length: 6 }, (_, i) => tokenFor(organizerId(i), { secret: BENCH_JWT_SECRET, expiresIn: '2h' })));

    const waitlistUpdates = waitlistUpdatesOperation();
    const inventoryQuery = `subscription OfferInventory($eventId: ID!) { offerInventoryChanged(eventId: $eventId) { offer { id inventory { total sold reserved available } } } }`;
    organizerTokens.forEach((token, i) => {
      const sessionId = SESSIONS[i % SESSIONS.length];
      subscribers.push(subscribe(`waitlist ${sessionId} #${i}`, gatewayPorts, token, waitlistUpdates, { sessionId }, (d) => d.waitlistUpdated.sessionId));
      subscribers.push(subscribe(`inventory #${i}`, gatewayPorts, token, { query: inventoryQuery }, { eventId: 'ev-public' }, (d) => d.offerInventoryChanged.offer.id));
    });

    const loadStart = Date.now();
    const deadline = loadStart + SECONDS * 1000;
    let turn = 0;
    const gatewayUrl = () => `http://127.0.0.1:${gatewayPorts[turn++ % gatewayPorts.length]}/graphql`;
    const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
    const loop = async (pauseMs: number, step: () => Promise<unknown>) => {
      while (Date.now() < deadline) {
        await step();
        await sleep(pauseMs * (0.5 + Math.random()));
      }
    };
    const joined = new Set<string>();
    const load = [
      ...[1, 2].map(() => loop(150, () => send(outcomes, 'dashboard', gatewayUrl(), ownerToken, dashboardBody()))),
      ...[1, 2, 3].map(() => loop(120, () => send(outcomes, 'purchase', gatewayUrl(), pick(buyerTokens), purchaseBody(offerId)))),
      ...[1, 2].map(() =>
        loop(150, async () => {
          const buyer = Math.floor(Math.random() * FLASH_BUYERS);
          const sessionId = pick(SESSIONS);
          const key = `${buyer}:${sessionId}`;
          // Half of those on a list leave again: a held seat then goes to the next in line.
          const leave = joined.has(key);
          const body = leave ? leaveWaitlistBody(sessionId) : joinWaitlistBody(sessionId);
          const outcome = await send(outcomes, leave ? 'leave' : 'join', gatewayUrl(), buyerTokens[buyer], body);
          if (outcome.data?.joinWaitlist) joined.add(key);
          if (outcome.data?.leaveWaitlist) joined.delete(key);
        }),
      ),
      // Organizers add seats now and then: each new seat is offered to the next in line.
      loop(4000, async () => {
        const sessionId = pick(SESSIONS);
        // Seats of ev-public's sessions are its organizers' to change.
        const current = await send(outcomes, 'capacity', gatewayUrl(), organizerTokens[0], sessionCapacityBody(sessionId));
        const total = current.data?.sessionCapacity?.total;
        if (typeof total === 'number') {
          await send(outcomes, 'add-seats', gatewayUrl(), organizerTokens[0], updateSessionCapacityBody(sessionId, total + 2));
        }
      }),
    ];

    const faults = (async () => {
      const period = (SECONDS * 1000) / (KILL_ORDER.length + 1);
      for (let i = 0; i < KILL_ORDER.length; i += 1) {
        await sleep(Math.max(0, loadStart + (i + 1) * period - Date.now()));
        if (Date.now() >= deadline) break;
        const victim = replicas.filter((r) => r.kind === KILL_ORDER[i])[i % 2];
        const window: KillWindow = { replica: victim.label, from: Date.now(), to: Number.POSITIVE_INFINITY };
        windows.push(window);
        await victim.kill();
        await sleep(2000);
        victim.start();
        await victim.waitReady();
        // Clients and balancers that saw it go need a moment to see it back.
        window.to = Date.now() + 3000;
        console.log(`soak: killed and restarted ${victim.label} (${((window.to - window.from) / 1000).toFixed(1)} s window)`);
      }
    })();
    await Promise.all([...load, faults]);
    console.log(`soak: load stopped after ${((Date.now() - loadStart) / 1000).toFixed(0)} s; waiting for the outbox to drain`);

    const drainDeadline = Date.now() + 60_000;
    while ((await unsent(runtime.orm)) > 0 && Date.now() < drainDeadline) await sleep(500);
    const unsentLeft = await unsent(runtime.orm);
    // Last live messages of the final writes.
    await sleep(3000);

    const inventory = await inventoryOf(runtime.orm, offerId);
    const offered = await offeredEntries(runtime.orm);
    const deliveries = await deliveriesOnKafka(services.KAFKA_BROKERS.split(','), offered);
    const deliveryCounts = [...deliveries.values()];

    const capacities = new Map<string, { total: number; used: number; available: number; waiting: number }>();
    for (const sessionId of SESSIONS) {
      const response = await send([], 'final', gatewayUrl(), organizerTokens[0], sessionCapacityBody(sessionId));
      capacities.set(sessionId, response.data.sessionCapacity);
    }
    const stale: string[] = [];
    for (const subscriber of subscribers) {
      for (const [key, message] of subscriber.last) {
        const m = message as any; // eslint-disable-line @typescript-eslint/no-explicit-any
        if (m.offerInventoryChanged) {
          if (key !== offerId) continue;
          const got = m.offerInventoryChanged.offer.inventory;
          const want = { total: inventory.total, sold: inventory.sold, reserved: inventory.reserved, available: inventory.total - inventory.sold - inventory.reserved };
          if (JSON.stringify(got) !== JSON.stringify(want)) stale.push(`${subscriber.label}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
        } else {
          const got = m.waitlistUpdated;
          const want = capacities.get(key)!;
          const same = got.totalWaiting === want.waiting && got.capacity.total === want.total && got.capacity.used === want.used && got.capacity.available === want.available;
          if (!same) stale.push(`${subscriber.label}: waiting ${got.totalWaiting} ${JSON.stringify(got.capacity)} != ${JSON.stringify(want)}`);
        }
      }
      if (subscriber.last.size === 0) stale.push(`${subscriber.label}: no message at all${subscriber.errors.length ? ` (${subscriber.errors[0]})` : ''}`);
    }
    const inventorySubscribersWithOffer = subscribers.filter((s) => s.last.has(offerId)).length;

    const failures = classifyFailures(outcomes, windows);
    const purchasesConfirmed = outcomes.filter((o) => o.op === 'purchase' && o.data?.purchaseOffer?.purchase?.status === 'COMPLETED').length;
    const errorCodes: Record<string, number> = {};
    for (const o of outcomes) if (o.errorCode) errorCodes[`${o.op} ${o.errorCode}`] = (errorCodes[`${o.op} ${o.errorCode}`] ?? 0) + 1;
    const byOp = Object.fromEntries([...new Set(outcomes.map((o) => o.op))].map((op) => [op, outcomes.filter((o) => o.op === op).length]));
    const report = {
      at: new Date().toISOString(),
      seconds: SECONDS,
      processes: { gateways: 2, replicasPerSubgraph: 2 },
      kills: windows.map((w) => ({ replica: w.replica, windowSeconds: Number(((w.to - w.from) / 1000).toFixed(1)) })),
      requests: byOp,
      failures,
      errorCodes,
      inventory: { ...inventory, purchasesConfirmedToClients: purchasesConfirmed },
      notifications: {
        offeredInDatabase: offered.length,
        deliveredOnce: deliveryCounts.filter((n) => n === 1).length,
        duplicated: deliveryCounts.filter((n) => n > 1).length,
        missing: deliveryCounts.filter((n) => n === 0).length,
        unsentInOutbox: unsentLeft,
      },
      subscribers: {
        sockets: subscribers.length,
        messages: subscribers.reduce((sum, s) => sum + s.messages, 0),
        reconnects: subscribers.reduce((sum, s) => sum + Math.max(0, s.connects - 1), 0),
        inventorySubscribersWithOffer,
        stale,
      },
    };
    const checks = {
      'no oversell (sold <= stock, sold == completed purchases)': inventory.sold + inventory.reserved <= inventory.total && inventory.sold === inventory.completedPurchases,
      'every WaitlistOfferSent on Kafka exactly once': offered.length > 0 && deliveryCounts.every((n) => n === 1),
      "every subscriber's last totals equal the database's": stale.length === 0 && inventorySubscribersWithOffer === subscribers.length / 2,
      'zero 5xx outside the kill windows': failures.http5xx.outside === 0,
    };
    console.log(JSON.stringify(report, null, 2));
    for (const [check, ok] of Object.entries(checks)) console.log(`${ok ? 'PASS' : 'FAIL'}  ${check}`);
    mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(path.join(ROOT, 'bench/results/soak-latest.json'), `${JSON.stringify({ ...report, checks }, null, 2)}\n`);
    if (Object.values(checks).some((ok) => !ok)) process.exitCode = 1;
  } finally {
    await Promise.all(subscribers.map((s) => s.dispose().catch(() => undefined)));
    await Promise.all(replicas.filter((r) => r.kind === 'gateway').map((r) => r.stop()));
    await Promise.all(replicas.filter((r) => r.kind !== 'gateway').map((r) => r.stop()));
    await Promise.all([...balancers.values()].map((b) => b.stop()));
    await runtime.shutdown.dispose();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
