import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createOrm, runMigrations, type MikroORM } from '../../kernel/db/orm';
import { createLogger } from '../../kernel/logger';
import { migrationsList } from '../../migrations';
import { loadFactTotals, recountFactTotals, type FactTotals } from '../../subgraphs/analytics/facts-repository';
import { allEntities } from '../../subgraphs/entities';

describe('committed migrations on a real PostgreSQL', () => {
  const database = `migrations_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const adminUrl = new URL(process.env.DATABASE_URL!);
  adminUrl.pathname = '/postgres';
  const targetUrl = new URL(process.env.DATABASE_URL!);
  targetUrl.pathname = `/${database}`;
  let orm: MikroORM;

  const admin = async (sql: string) => {
    const client = new Client({ connectionString: adminUrl.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await admin(`create database ${database}`);
    orm = await createOrm({ url: targetUrl.toString(), entities: allEntities, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await orm.close(true);
    await admin(`drop database if exists ${database} with (force)`);
  });

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(text, params);

  it('apply on an empty database, then find nothing left to apply', async () => {
    // Every committed migration, the initial one first (each issue may append its own).
    expect(await runMigrations(orm)).toEqual(migrationsList.map((migration) => migration.name));
    expect(migrationsList[0].name).toBe('Migration20261125000000_initial');
    expect(await runMigrations(orm)).toEqual([]);
    const tables = await sql<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        'offers',
        'offer_purchases',
        'ads',
        'ad_events',
        'waitlist_entries',
        'session_capacities',
        'monetization_events',
        'outbox_messages',
        'processed_messages',
        'platform_events',
        'platform_registrations',
      ]),
    );
  });

  it('create the indexes production needs', async () => {
    const indexes = await sql<{ indexdef: string }>(`select indexdef from pg_indexes where schemaname = 'public'`);
    const definitions = indexes.map((row) => row.indexdef);
    expect(definitions).toEqual(
      expect.arrayContaining([
        expect.stringContaining('ON public.ad_events USING btree (ad_id, event_type, created_at)'),
        expect.stringContaining('ON public.monetization_events USING btree (event_id, event_type, created_at)'),
        expect.stringContaining('ON public.offer_purchases USING btree (offer_id, fulfillment_status)'),
      ]),
    );
  });

  it('build the rollups of the facts stored before them', async () => {
    // Back to before the rollups (`to` is included in what is reverted), facts stored, then forward again.
    await orm.getMigrator().down({ to: 'Migration20261201000000_monetization_rollups' });
    await sql(`insert into platform_events (id, organization_id, owner_id, name, is_public, currency)
               values ('ev-rollups', 'org', 'u', 'Rollups', false, 'USD') on conflict do nothing`);
    await sql(
      `insert into monetization_events (id, event_id, event_type, offer_id, quantity, amount_cents, currency, offer_title, created_at)
       select 'm-' || n, 'ev-rollups', (array['OfferViewed', 'PurchaseCompleted', 'PurchaseRefunded'])[1 + n % 3],
              (array['${randomUUID()}', '${randomUUID()}'])[1 + n % 2]::uuid, n % 4, n * 10,
              (array['USD', 'EUR', null])[1 + n % 3 / 2 + n % 5 / 4], 'Title ' || n,
              timestamptz '2026-03-01' + n * interval '7 minutes'
         from generate_series(1, 2000) n`,
    );
    expect(await runMigrations(orm)).toContain('Migration20261201000000_monetization_rollups');
    const period = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-12T00:00:00Z') };
    const em = orm.em.fork();
    const fromRollups = await loadFactTotals(em, ['ev-rollups'], period);
    const key = (row: FactTotals) => `${row.type}/${row.offerId}`;
    const byKey = (rows: FactTotals[]) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));
    expect(fromRollups.reduce((sum, row) => sum + row.count, 0)).toBe(2000);
    expect(byKey(fromRollups)).toEqual(byKey(await recountFactTotals(em, ['ev-rollups'], period)));
  });

  it.each([
    ['a negative price', `insert into offers (id, event_id, title, type, price_cents, currency) values ('${randomUUID()}', 'e', 't', 'DIGITAL', -1, 'USD')`],
    ['a price above 999999.99', `insert into offers (id, event_id, title, type, price_cents, currency) values ('${randomUUID()}', 'e', 't', 'DIGITAL', 100000000, 'USD')`],
    ['a price above 999999.99 in fils', `insert into offers (id, event_id, title, type, price_cents, currency) values ('${randomUUID()}', 'e', 't', 'DIGITAL', 999999991, 'KWD')`],
    ['an original price below the price', `insert into offers (id, event_id, title, type, price_cents, original_price_cents, currency) values ('${randomUUID()}', 'e', 't', 'DIGITAL', 500, 400, 'USD')`],
    ['an oversold offer', `insert into offers (id, event_id, title, type, price_cents, currency, inventory_total, sold, reserved) values ('${randomUUID()}', 'e', 't', 'DIGITAL', 5, 'USD', 2, 2, 1)`],
    ['an inventory of zero', `insert into offers (id, event_id, title, type, price_cents, currency, inventory_total) values ('${randomUUID()}', 'e', 't', 'DIGITAL', 5, 'USD', 0)`],
    ['an unknown offer type', `insert into offers (id, event_id, title, type, price_cents, currency) values ('${randomUUID()}', 'e', 't', 'CASH', 5, 'USD')`],
    ['a javascript: ad URL', `insert into ads (id, event_id, name, media_url, click_url) values ('${randomUUID()}', 'e', 'n', 'https://a.example/x.png', 'javascript:alert(1)')`],
    ['an empty ad name', `insert into ads (id, event_id, name, media_url, click_url) values ('${randomUUID()}', 'e', '', 'https://a.example/x.png', 'https://a.example')`],
    ['a session filled beyond capacity', `insert into session_capacities (session_id, event_id, total, used) values ('s', 'e', 2, 3)`],
    ['a purchase of 21 units', `insert into offer_purchases (id, offer_id, event_id, user_id, quantity, unit_price_cents, total_cents, currency, status, idempotency_key) values ('${randomUUID()}', '${randomUUID()}', 'e', 'u', 21, 1, 21, 'USD', 'RESERVED', 'k')`],
  ])('refuse %s with a constraint', async (_what, statement) => {
    await expect(sql(statement)).rejects.toThrow(/violates check constraint/);
  });
});
