import type { EntityManager } from '@mikro-orm/postgresql';
import type { OfferType } from '../entities/offer';
import { offerSql } from '../offer-availability';

/**
 * The statements that move units of an offer. Each is one SQL statement, so PostgreSQL's row lock
 * and its re-check of the WHERE clause after a concurrent update make them correct under any
 * concurrency: the availability test and the increment cannot be split by another purchase.
 */

export interface TakenUnits {
  offerId: string;
  eventId: string;
  title: string;
  type: OfferType;
  priceCents: number;
  currency: string;
  /** True for a free offer: its units were sold outright rather than reserved. */
  sold: boolean;
}

/**
 * Takes `quantity` units of an offer that is active, inside its window and has them: reserved for
 * a paid offer, sold outright for a free one. Null when the offer cannot give them (the caller
 * asks {@link whyUnavailable}).
 */
export async function takeUnits(em: EntityManager, offerId: string, quantity: number): Promise<TakenUnits | null> {
  const rows = await em.execute<
    { id: string; event_id: string; title: string; type: OfferType; price_cents: string | number; currency: string }[]
  >(
    `update offers
        set reserved = reserved + case when price_cents = 0 then 0 else ? end,
            sold = sold + case when price_cents = 0 then ? else 0 end,
            updated_at = now()
      where id = ? and ${offerSql.onSale('offers', 'now()', '?')}
      returning id, event_id, title, type, price_cents, currency`,
    [quantity, quantity, offerId, quantity],
  );
  const row = rows[0];
  if (!row) return null;
  const priceCents = Number(row.price_cents);
  return {
    offerId: row.id,
    eventId: row.event_id,
    title: row.title,
    type: row.type,
    priceCents,
    currency: row.currency.trim(),
    sold: priceCents === 0,
  };
}

export type Unavailability =
  | { reason: 'NOT_FOUND' }
  | { reason: 'NOT_ON_SALE'; detail: 'INACTIVE' | 'NOT_STARTED' | 'EXPIRED' }
  | { reason: 'SOLD_OUT'; available: number };

/** Why {@link takeUnits} refused; read after the refusal, so it describes the offer as it is now. */
export async function whyUnavailable(em: EntityManager, offerId: string): Promise<Unavailability> {
  const [row] = await em.execute<
    { is_active: boolean; not_started: boolean; expired: boolean; available: number | null }[]
  >(
    `select is_active,
            not ${offerSql.started('offers', 'now()')} as not_started,
            ${offerSql.ended('offers', 'now()')} as expired,
            ${offerSql.available('offers')} as available
       from offers where id = ?`,
    [offerId],
  );
  if (!row) return { reason: 'NOT_FOUND' };
  if (!row.is_active) return { reason: 'NOT_ON_SALE', detail: 'INACTIVE' };
  if (row.not_started) return { reason: 'NOT_ON_SALE', detail: 'NOT_STARTED' };
  if (row.expired) return { reason: 'NOT_ON_SALE', detail: 'EXPIRED' };
  return { reason: 'SOLD_OUT', available: Number(row.available ?? 0) };
}

/** Reserved units become sold (payment arrived). Called only after the purchase's own guarded transition. */
export async function sellReservedUnits(em: EntityManager, offerId: string, quantity: number): Promise<{ title: string }> {
  const rows = await em.execute<{ title: string }[]>(
    `update offers set reserved = reserved - ?, sold = sold + ?, updated_at = now() where id = ? returning title`,
    [quantity, quantity, offerId],
  );
  return { title: rows[0]?.title ?? '' };
}

/** Reserved units go back on sale. Called only after the purchase's own guarded transition. */
export async function releaseReservedUnits(em: EntityManager, offerId: string, quantity: number): Promise<void> {
  await em.execute(`update offers set reserved = reserved - ?, updated_at = now() where id = ?`, [quantity, offerId]);
}
