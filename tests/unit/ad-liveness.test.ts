import type { PGlite } from '@electric-sql/pglite';
import { inProcessPostgres } from '../support/pglite';
import { isLive, liveAdSql } from '../../subgraphs/ads/ad-liveness';

const NOW = new Date('2026-06-01T12:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const moments = [null, at(-60), NOW, at(60)];
const ads = [true, false].flatMap((isActive) => moments.flatMap((startsAt) => moments.map((endsAt) => ({ isActive, startsAt, endsAt }))));

describe('ad liveness: the TypeScript predicate and its SQL agree', () => {
  let db: PGlite;

  beforeAll(async () => {
    db = await inProcessPostgres();
    await db.exec(`create table ads (id int primary key, is_active boolean not null, starts_at timestamptz, ends_at timestamptz)`);
    for (const [id, ad] of ads.entries()) {
      await db.query(`insert into ads values ($1, $2, $3, $4)`, [id, ad.isActive, ad.startsAt, ad.endsAt]);
    }
  });

  afterAll(() => db.close());

  it('says the same of every combination of active flag and schedule', async () => {
    const { rows } = await db.query<{ id: number; live: boolean }>(
      `select id, ${liveAdSql('a', '$1')} as live from ads a order by id`,
      [NOW],
    );
    expect(rows).toEqual(ads.map((ad, id) => ({ id, live: isLive(ad, NOW) })));
    // Live: started (no start, or at or before now) and not ended (no end, or after now), while active.
    expect(rows.filter((row) => row.live)).toHaveLength(6);
  });
});
