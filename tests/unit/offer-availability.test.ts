import type { PGlite } from '@electric-sql/pglite';
import { inProcessPostgres } from '../support/pglite';
import { availableUnits, isOnSale, isVisibleToAttendees, offerSql } from '../../subgraphs/offers/offer-availability';

/** Every combination of the columns the rules read, around one fixed `now`. */
const NOW = new Date('2026-06-01T12:00:00.000Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
const starts = [null, at(-60), NOW, at(60)];
const ends = [null, at(-60), NOW, at(60)];
const stocks = [
  { inventoryTotal: null, sold: 3, reserved: 2 },
  { inventoryTotal: 10, sold: 3, reserved: 2 },
  { inventoryTotal: 5, sold: 3, reserved: 2 },
  { inventoryTotal: 6, sold: 3, reserved: 2 },
];
const offers = [true, false].flatMap((isActive) =>
  starts.flatMap((startsAt) =>
    ends.flatMap((expiresAt) => stocks.map((stock) => ({ isActive, startsAt, expiresAt, ...stock }))),
  ),
);

describe('offer availability: the TypeScript predicates and their SQL agree', () => {
  let db: PGlite;

  beforeAll(async () => {
    db = await inProcessPostgres();
    await db.exec(`create table offers (id int primary key, is_active boolean not null, starts_at timestamptz,
      expires_at timestamptz, inventory_total int, sold int not null, reserved int not null)`);
    for (const [id, offer] of offers.entries()) {
      await db.query(`insert into offers values ($1, $2, $3, $4, $5, $6, $7)`, [
        id, offer.isActive, offer.startsAt, offer.expiresAt, offer.inventoryTotal, offer.sold, offer.reserved,
      ]);
    }
  });

  afterAll(() => db.close());

  it.each([1, 2])('on sale, visible and available units for quantity %i, on every combination', async (quantity) => {
    const { rows } = await db.query<{ id: number; on_sale: boolean; visible: boolean; available: number | null }>(
      `select id, ${offerSql.onSale('o', '$1', '$2')} as on_sale, ${offerSql.visible('o', '$1')} as visible,
              ${offerSql.available('o')} as available
         from offers o order by id`,
      [NOW, quantity],
    );
    expect(rows).toHaveLength(offers.length);
    const fromTypeScript = offers.map((offer, id) => ({
      id,
      on_sale: isOnSale(offer, NOW, quantity),
      visible: isVisibleToAttendees(offer, NOW),
      available: availableUnits(offer),
    }));
    expect(rows).toEqual(fromTypeScript);
    // The grid is not trivially one-sided: some offers are on sale, some visible but not on sale.
    expect(rows.filter((row) => row.on_sale).length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.visible && !row.on_sale).length).toBeGreaterThan(0);
  });

  it('started and ended split the window as the predicates do', async () => {
    const { rows } = await db.query<{ id: number; started: boolean; ended: boolean }>(
      `select id, ${offerSql.started('o', '$1')} as started, ${offerSql.ended('o', '$1')} as ended from offers o order by id`,
      [NOW],
    );
    expect(rows).toEqual(
      offers.map((offer, id) => ({
        id,
        started: !offer.startsAt || offer.startsAt <= NOW,
        ended: offer.expiresAt !== null && offer.expiresAt <= NOW,
      })),
    );
  });
});
