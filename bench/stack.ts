import { readFileSync } from 'node:fs';
import path from 'node:path';
import { recreateDatabase } from '../kernel/db/recreate-database';
import { loadConfig, SUBGRAPH_NAMES, type Config, type SubgraphName } from '../kernel/config';
import { peakRssMbOf } from './proc';
import { meterSql } from './sql-meter';
import { BENCH_SUBGRAPH_ENV } from './subgraph-env';
import { createLogger } from '../kernel/logger';
import { SeedFile } from '../kernel/contracts/platform-records';
import { applySeed } from '../kernel/platform/seed';
import { createRuntime, type Runtime } from '../kernel/runtime';
import { allEntities } from '../subgraphs/entities';
import { configSectionsOf } from '../subgraphs/registry';
import { serveSubgraphs } from '../subgraphs/serve';
import { Ad } from '../subgraphs/ads/entities/ad';
import { Offer } from '../subgraphs/offers/entities/offer';
import { rebuildRollups } from '../subgraphs/analytics/rollups';

export { BENCH_JWT_SECRET, BENCH_SUBGRAPH_ENV, BENCH_SUBGRAPH_SECRET } from './subgraph-env';

/** Events added to the contract fixture for the fan-out scenario, by offer count. */
export const FANOUT_SIZES = [10, 100, 1000] as const;
export const fanoutEventId = (size: number) => `ev-fanout-${size}`;
/** Offers and ads the dashboard event (ev-private) gets on top of the fixture. */
export const DASHBOARD_CATALOG = 20;
/** The event of the history scenario: the dashboard's catalog and a growing number of facts. */
export const HISTORY_EVENT = 'ev-history';
/** Facts of the history scenario, by default (`--history=` or `--history-max=` change them). */
export const HISTORY_SIZES = [10_000, 1_000_000, 10_000_000] as const;
/** Buyers of the flash sale: users registered to the public event. */
export const FLASH_BUYERS = 200;
export const buyerId = (index: number) => `u-buyer-${index}`;
/** Staff of org-rival (organizers of ev-public): who may watch its sessions' waitlists. */
export const ORGANIZERS = 1000;
export const organizerId = (index: number) => `u-organizer-${index}`;
/** The session whose waitlist the subscription scenario watches: sold out (capacity 0), so every join waits. */
export const WATCHED_SESSION = 's-sold-out';

/** What the subgraphs did while a load ran: SQL statements, their time, Redis commands. */
export interface SubgraphTraffic<T> {
  result: T;
  statements: number;
  sqlMs: number;
  redisCommands: number;
}

/**
 * Where a contender's four subgraphs run: this process (the current code), or a child process
 * running another checkout's subgraphs (`--before`), so that a before/after pair compares subgraphs
 * too. Both are measured the same way: the process's CPU and peak memory, the ORM's statements.
 */
export interface SubgraphHost {
  subgraphUrls: Record<SubgraphName, string>;
  /** User + system CPU time of the hosting process so far, in ms. */
  cpuMs(): number;
  peakRssMb(): number;
  /** SQL statements (count and time) and Redis commands of these subgraphs while `fn` runs. */
  traffic<T>(fn: () => Promise<T>): Promise<SubgraphTraffic<T>>;
}

export interface BenchStack extends SubgraphHost {
  runtime: Runtime;
  config: Config;
  /**
   * Brings the history event to `total` monetization facts (only ever adds), bulk-loaded with
   * `generate_series` (not through ingestion), then rebuilds its rollups as ingestion would have kept
   * them. Returns the seconds loading took.
   */
  loadHistory(total: number): Promise<number>;
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
      {
        id: HISTORY_EVENT,
        organizationId: 'org-acme',
        ownerId: 'u-owner',
        name: 'History',
        isPublic: false,
        currency: 'USD',
        sessions: [],
      },
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

const HISTORY_CHUNK = 1_000_000;

/**
 * Facts `n` = ?..? of the history event: offer views, clicks, purchases (10.00 USD) and refunds,
 * ad impressions and clicks, waitlist joins, spread over the offers, the ads and every day of 2026.
 */
const HISTORY_INSERT_SQL = `
  insert into monetization_events (id, event_id, event_type, offer_id, ad_id, quantity, amount_cents, currency, created_at)
  select 'history-' || n, '${HISTORY_EVENT}', k.type,
         case when k.type like 'Offer%' or k.type like 'Purchase%' then o.ids[1 + n % cardinality(o.ids)] end,
         case when k.type like 'Ad%' then a.ids[1 + n % cardinality(a.ids)] end,
         case when k.type like 'Purchase%' then 1 end,
         case when k.type like 'Purchase%' then 1000 end,
         case when k.type like 'Purchase%' then 'USD' end,
         timestamptz '2026-01-01' + (n % 365) * interval '1 day' + (n % 86400) * interval '1 second'
    from generate_series(?::bigint, ?::bigint) n
   cross join (select array_agg(id order by id) as ids from offers where event_id = '${HISTORY_EVENT}') o
   cross join (select array_agg(id order by id) as ids from ads where event_id = '${HISTORY_EVENT}') a
   cross join lateral (select (array['OfferViewed', 'OfferViewed', 'OfferViewed', 'OfferClicked', 'PurchaseCompleted',
                                     'AdImpression', 'AdImpression', 'AdClicked', 'WaitlistJoined', 'PurchaseRefunded'])[1 + n % 10]
                              as type) k`;

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

/** The bench's data set and catalogs, into a migrated, empty database (the soak seeds the same). */
export async function seedBenchData(runtime: Runtime): Promise<void> {
  await applySeed(runtime.orm, dataSet());
  await addCatalog(runtime, 'ev-private', DASHBOARD_CATALOG, DASHBOARD_CATALOG);
  await addCatalog(runtime, 'ev-public', 0, DASHBOARD_CATALOG);
  await addCatalog(runtime, HISTORY_EVENT, DASHBOARD_CATALOG, DASHBOARD_CATALOG);
  for (const size of FANOUT_SIZES) await addCatalog(runtime, fanoutEventId(size), size, 0);
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
  const config = loadConfig({ ...process.env, ...BENCH_SUBGRAPH_ENV }, configSectionsOf());
  const logger = createLogger(process.env.BENCH_SUBGRAPH_LOG_LEVEL ?? 'silent');
  const runtime = await createRuntime(config, logger, { entities: allEntities, workers: false });
  const redisClient = runtime.redis as unknown as { status: string; once(event: string, fn: () => void): void };
  if (redisClient.status !== 'ready') await new Promise<void>((resolve) => redisClient.once('ready', resolve));
  await runtime.redis.flushdb();
  await seedBenchData(runtime);
  let historyFacts = 0;
  const running = await serveSubgraphs(runtime, [...SUBGRAPH_NAMES], { portOf: () => 0 });
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
    cpuMs: () => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    },
    peakRssMb: () => peakRssMbOf(process.pid),
    traffic: async (fn) => {
      const meter = meterSql(runtime.orm.em.getConnection().getKnex());
      const redisBefore = redisCommands;
      try {
        const result = await fn();
        return { result, statements: meter.statements, sqlMs: meter.ms, redisCommands: redisCommands - redisBefore };
      } finally {
        meter.stop();
      }
    },
    loadHistory: async (total) => {
      const started = Date.now();
      const em = runtime.orm.em.fork();
      for (let from = historyFacts + 1; from <= total; from += HISTORY_CHUNK) {
        await em.execute(HISTORY_INSERT_SQL, [from, Math.min(total, from + HISTORY_CHUNK - 1)]);
      }
      historyFacts = Math.max(historyFacts, total);
      await rebuildRollups(em, [HISTORY_EVENT]);
      await em.execute('analyze monetization_events');
      await em.execute('analyze monetization_rollups');
      return (Date.now() - started) / 1000;
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
