import { readFileSync } from 'node:fs';
import path from 'node:path';
import { recreateDatabase } from '../kernel/db/recreate-database';
import { loadConfig, SUBGRAPH_NAMES, type Config, type SubgraphName } from '../kernel/config';
import { onSqlStatement } from '../kernel/db/orm';
import { createLogger } from '../kernel/logger';
import { SeedFile } from '../kernel/contracts/platform-records';
import { applySeed } from '../kernel/platform/seed';
import { createRuntime, type Runtime } from '../kernel/runtime';
import { allEntities } from '../subgraphs/entities';
import { configSectionsOf } from '../subgraphs/registry';
import { serveSubgraphs } from '../subgraphs/serve';
import { Ad } from '../subgraphs/ads/entities/ad';
import { Offer } from '../subgraphs/offers/entities/offer';

/** Secrets of the bench only: both gateways and the subgraphs share them, nothing else does. */
export const BENCH_JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';
export const BENCH_SUBGRAPH_SECRET = 'bench-subgraph-secret-0123456789abcdef0123';

/** Events added to the contract fixture for the fan-out scenario, by offer count. */
export const FANOUT_SIZES = [10, 100, 1000] as const;
export const fanoutEventId = (size: number) => `ev-fanout-${size}`;
/** Offers and ads the dashboard event (ev-private) gets on top of the fixture. */
export const DASHBOARD_CATALOG = 20;
/** Buyers of the flash sale: users registered to the public event. */
export const FLASH_BUYERS = 200;
export const buyerId = (index: number) => `u-buyer-${index}`;
/** Staff of org-rival (organizers of ev-public): who may watch its sessions' waitlists. */
export const ORGANIZERS = 1000;
export const organizerId = (index: number) => `u-organizer-${index}`;
/** The session whose waitlist the subscription scenario watches: sold out (capacity 0), so every join waits. */
export const WATCHED_SESSION = 's-sold-out';

export interface BenchStack {
  runtime: Runtime;
  config: Config;
  subgraphUrls: Record<SubgraphName, string>;
  /** Counts SQL statements of every subgraph while `fn` runs. */
  countSql<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }>;
  /** Counts Redis commands of every subgraph while `fn` runs (each is one round trip: no pipelining here). */
  countRedis<T>(fn: () => Promise<T>): Promise<{ result: T; commands: number }>;
  /** Adds a fresh offer with `stock` units to the public event and returns its id. */
  addFlashOffer(stock: number): Promise<string>;
  soldOf(offerId: string): Promise<{ sold: number; reserved: number; purchases: number }>;
  close(): Promise<void>;
}

/** The data set: the contract fixture plus fan-out events, a catalog on ev-private and registered buyers. */
function dataSet(): SeedFile {
  const fixture = SeedFile.parse(JSON.parse(readFileSync(path.resolve(__dirname, '../demo/platform.json'), 'utf8')));
  const buyers = Array.from({ length: FLASH_BUYERS }, (_, i) => ({
    id: buyerId(i),
    email: `${buyerId(i)}@example.com`,
    name: `Buyer ${i}`,
  }));
  const organizers = Array.from({ length: ORGANIZERS }, (_, i) => ({
    id: organizerId(i),
    email: `${organizerId(i)}@example.com`,
    name: `Organizer ${i}`,
  }));
  return SeedFile.parse({
    ...fixture,
    users: [...fixture.users, ...buyers, ...organizers],
    organizations: fixture.organizations.map((organization) =>
      organization.id === 'org-rival' ? { ...organization, members: [...organization.members, ...organizers.map((o) => o.id)] } : organization,
    ),
    events: [
      ...fixture.events.map((event) =>
        event.id === 'ev-public'
          ? { ...event, sessions: [...(event.sessions ?? []), { id: WATCHED_SESSION, title: 'Sold-out workshop', capacity: 0, startsAt: '2026-12-02T14:00:00Z' }] }
          : event,
      ),
      ...FANOUT_SIZES.map((size) => ({
        id: fanoutEventId(size),
        organizationId: 'org-acme',
        ownerId: 'u-owner',
        name: `Fan-out ${size}`,
        isPublic: false,
        currency: 'USD',
        sessions: [],
      })),
    ],
    registrations: [
      ...fixture.registrations,
      ...buyers.map((buyer) => ({ userId: buyer.id, eventId: 'ev-public', ticketTier: 'GENERAL' })),
    ],
  });
}

async function addCatalog(runtime: Runtime, eventId: string, offers: number, ads: number): Promise<void> {
  const em = runtime.orm.em.fork();
  for (let i = 0; i < Math.max(offers, ads); i += 1) {
    const createdAt = new Date(Date.now() - (offers - i) * 1000);
    if (i < offers) {
      const offer = new Offer(eventId, `Offer ${i + 1}`, 'DIGITAL', 1000 + i, 'USD');
      offer.inventoryTotal = 1000 + i;
      offer.createdAt = createdAt;
      em.persist(offer);
    }
    if (i < ads) {
      const ad = new Ad(eventId, `Ad ${i + 1}`, `https://cdn.example.com/${i}.png`, `https://example.com/${i}`);
      ad.placements = ['lobby-banner'];
      ad.frequencyCap = 1_000_000;
      ad.createdAt = createdAt;
      em.persist(ad);
    }
  }
  await em.flush();
}

/**
 * Starts the four subgraphs in this process (so their SQL and Redis traffic can be counted) on
 * loopback ports, against the real PostgreSQL and Redis of DATABASE_URL / REDIS_URL, with the
 * in-process event bus (KAFKA_BROKERS is ignored).
 */
export async function startBenchStack(): Promise<BenchStack> {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error('Set DATABASE_URL and REDIS_URL (the bench needs the real PostgreSQL and Redis).');
  await recreateDatabase(databaseUrl);
  const config = loadConfig(
    {
      ...process.env,
      NODE_ENV: 'development',
      KAFKA_BROKERS: '',
      OFFERS_PORT: '0',
      ADS_PORT: '0',
      WAITLIST_PORT: '0',
      ANALYTICS_PORT: '0',
      AUTH_JWT_SECRET: BENCH_JWT_SECRET,
      SUBGRAPH_SECRET: BENCH_SUBGRAPH_SECRET,
      DATABASE_POOL_MAX: '20',
      // Each buyer joins and leaves the watched waitlist once per burst pair, several times a minute.
      RATE_LIMIT_JOINS_PER_MINUTE: '100000',
      SHUTDOWN_DRAIN_MS: '0',
    },
    configSectionsOf(),
  );
  const logger = createLogger(process.env.BENCH_SUBGRAPH_LOG_LEVEL ?? 'silent');
  const runtime = await createRuntime(config, logger, { entities: allEntities, workers: false });
  const redisClient = runtime.redis as unknown as { status: string; once(event: string, fn: () => void): void };
  if (redisClient.status !== 'ready') await new Promise<void>((resolve) => redisClient.once('ready', resolve));
  await runtime.redis.flushdb();
  await applySeed(runtime.orm, dataSet());
  await addCatalog(runtime, 'ev-private', DASHBOARD_CATALOG, DASHBOARD_CATALOG);
  await addCatalog(runtime, 'ev-public', 0, DASHBOARD_CATALOG);
  for (const size of FANOUT_SIZES) await addCatalog(runtime, fanoutEventId(size), size, 0);
  const running = await serveSubgraphs(runtime, [...SUBGRAPH_NAMES], () => 0);
  const subgraphUrls = Object.fromEntries(running.map((subgraph) => [subgraph.name, subgraph.url])) as Record<SubgraphName, string>;

  let redisCommands = 0;
  const redis = runtime.redis as unknown as { sendCommand: (...args: unknown[]) => unknown };
  const sendCommand = redis.sendCommand.bind(redis);
  redis.sendCommand = (...args: unknown[]) => {
    redisCommands += 1;
    return sendCommand(...args);
  };

  return {
    runtime,
    config,
    subgraphUrls,
    countSql: async (fn) => {
      let statements = 0;
      const stop = onSqlStatement(runtime.orm, () => {
        statements += 1;
      });
      try {
        const result = await fn();
        return { result, statements };
      } finally {
        stop();
      }
    },
    countRedis: async (fn) => {
      const before = redisCommands;
      const result = await fn();
      return { result, commands: redisCommands - before };
    },
    addFlashOffer: async (stock) => {
      const em = runtime.orm.em.fork();
      const offer = new Offer('ev-public', `Flash sale ${Date.now()}`, 'DIGITAL', 500, 'EUR');
      offer.inventoryTotal = stock;
      await em.persistAndFlush(offer);
      return offer.id;
    },
    soldOf: async (offerId) => {
      const em = runtime.orm.em.fork();
      const [offer] = await em.execute<{ sold: number; reserved: number }[]>(`select sold, reserved from offers where id = ?`, [offerId]);
      const [count] = await em.execute<{ n: string }[]>(
        `select count(*) as n from offer_purchases where offer_id = ? and status = 'COMPLETED'`,
        [offerId],
      );
      return { sold: offer.sold, reserved: offer.reserved, purchases: Number(count.n) };
    },
    close: () => runtime.shutdown.dispose(),
  };
}
