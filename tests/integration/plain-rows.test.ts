import { randomUUID } from 'node:crypto';
import { onSqlStatement } from '../../kernel/db/orm';
import { plainRows } from '../../kernel/db/plain-rows';
import { readRows } from '../../kernel/db/read-rows';
import { pgArray } from '../../kernel/db/sql';
import { Ad } from '../../subgraphs/ads/entities/ad';
import { createAdsLoaders } from '../../subgraphs/ads/loaders';
import { Offer } from '../../subgraphs/offers/entities/offer';
import { createOffersLoaders } from '../../subgraphs/offers/loaders';
import { startStack, type TestStack } from '../support/stack';

jest.setTimeout(120_000);

/** The read-only list loaders read plain rows; they must be the entities the ORM would have hydrated, value for value. */
describe('plain rows of an entity table', () => {
  let stack: TestStack;
  const eventId = `ev-plain-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    stack = await startStack({ kafka: false, workers: false, gateway: false, subgraphs: [] });
    const em = stack.runtime.orm.em.fork();
    const full = new Offer(eventId, 'Full', 'PHYSICAL', 99_999_999, 'JPY');
    Object.assign(full, {
      description: 'Every column set',
      imageUrl: 'https://example.com/a.png',
      originalPriceCents: 99_999_999,
      inventoryTotal: 7,
      sold: 3,
      reserved: 2,
      placement: 'lobby',
      isActive: false,
      startsAt: new Date('2026-05-01T10:00:00.123Z'),
      expiresAt: new Date('2026-06-01T10:00:00Z'),
      createdAt: new Date('2026-01-01T00:00:00Z'),
    });
    const bare = new Offer(eventId, 'Bare', 'DIGITAL', 0, 'USD');
    bare.createdAt = new Date('2026-01-02T00:00:00Z');
    const ad = new Ad(eventId, 'Banner', 'https://cdn.example.com/b.png', 'https://example.com/b');
    Object.assign(ad, { placements: ['lobby-banner', 'session-sidebar'], targetSessions: ['s-1'], frequencyCap: 4, aspectRatio: '16:9', weight: 3, startsAt: new Date('2026-03-01T00:00:00Z') });
    const plainAd = new Ad(eventId, 'Plain', 'https://cdn.example.com/p.png', 'https://example.com/p');
    em.persist([full, bare, ad, plainAd]);
    await em.flush();
  });
  afterAll(async () => {
    await stack.runtime.orm.em.fork().execute('delete from offers where event_id = ?', [eventId]);
    await stack.runtime.orm.em.fork().execute('delete from ads where event_id = ?', [eventId]);
    await stack.close();
  });

  /** An entity's own enumerable properties, as a plain object (what a resolver reads). */
  const valuesOf = (entity: object) => Object.fromEntries(Object.keys(entity).filter((key) => !key.startsWith('__')).map((key) => [key, (entity as Record<string, unknown>)[key]]));

  it('maps every column of offers as the ORM hydrates them (bigint as number, timestamps as dates, nulls)', async () => {
    const em = stack.runtime.orm.em.fork();
    const hydrated = await em.find(Offer, { eventId }, { orderBy: { createdAt: 'asc' } });
    const rows = plainRows(em, Offer);
    const plain = (await em.execute<Record<string, unknown>[]>(`select ${rows.columns} from ${rows.table} where event_id = any(?::text[]) order by created_at`, [pgArray([eventId])])).map(rows.map);
    expect(plain).toHaveLength(2);
    expect(plain.map(valuesOf)).toEqual(hydrated.map(valuesOf));
    expect(typeof plain[0].priceCents).toBe('number');
    expect(plain[0].startsAt).toBeInstanceOf(Date);
  });

  it('gives the list loaders the same offers and ads as a find, in the same order', async () => {
    const em = stack.runtime.orm.em.fork();
    const offers = await createOffersLoaders(em).offersByEvent.load(eventId);
    const ads = await createAdsLoaders(em).adsByEvent.load(eventId);
    const reference = stack.runtime.orm.em.fork();
    const expectedOffers = await reference.find(Offer, { eventId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const expectedAds = await reference.find(Ad, { eventId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    expect(offers.map(valuesOf)).toEqual(expectedOffers.map(valuesOf));
    expect(ads.map(valuesOf)).toEqual(expectedAds.map(valuesOf));
    expect(ads.find((one) => one.name === 'Banner')?.placements).toEqual(['lobby-banner', 'session-sidebar']);
    // Not managed: nothing read this way is in the request's identity map.
    expect(em.getUnitOfWork().getIdentityMap().values()).toHaveLength(0);
  });

  it('reads through readRows the rows em.execute reads, announced to the statement hooks, and inside a transaction through it', async () => {
    const em = stack.runtime.orm.em.fork();
    const sql = `select id, title, price_cents, starts_at from offers where event_id = any(?::text[]) and price_cents >= ? order by created_at`;
    const statements: string[] = [];
    const stop = onSqlStatement(stack.runtime.orm, (statement) => statements.push(statement));
    const direct = await readRows<Record<string, unknown>>(em, sql, [pgArray([eventId]), 0]);
    stop();
    expect(direct).toEqual(await em.execute(sql, [pgArray([eventId]), 0]));
    expect(direct.map((row) => row.title)).toEqual(['Full', 'Bare']);
    expect(statements).toHaveLength(1);
    await expect(readRows(em, 'select * from no_such_table where id = ?', ['x'])).rejects.toThrow(/no_such_table/);

    // A transaction's own uncommitted write is visible to a read in it, and to nothing outside.
    await stack.runtime.orm.em.fork().transactional(async (tx) => {
      await tx.execute(`update offers set title = 'Renamed' where event_id = ? and title = 'Bare'`, [eventId]);
      const inside = await readRows<{ title: string }>(tx, `select title from offers where event_id = ? order by created_at`, [eventId]);
      const outside = await readRows<{ title: string }>(stack.runtime.orm.em.fork(), `select title from offers where event_id = ? order by created_at`, [eventId]);
      expect(inside.map((row) => row.title)).toEqual(['Full', 'Renamed']);
      expect(outside.map((row) => row.title)).toEqual(['Full', 'Bare']);
      await tx.execute(`update offers set title = 'Bare' where event_id = ? and title = 'Renamed'`, [eventId]);
    });
  });
});
