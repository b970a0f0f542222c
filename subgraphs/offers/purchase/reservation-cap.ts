import type { EntityManager } from '@mikro-orm/postgresql';
import { conflict } from '../../../kernel/errors';

/**
 * A user may hold at most `limit` units of one offer in open (RESERVED, unexpired) purchases: one
 * account reserved all 100 units of a paid offer in 5 requests and held them for 15 minutes
 * (issue 23). Called inside the reservation's transaction, after its units are taken; a
 * transaction-scoped advisory lock per buyer and offer makes concurrent requests of one buyer
 * count each other, and a refusal rolls the taken units back with the transaction.
 */
export async function checkReservationCap(tx: EntityManager, buyerId: string, offerId: string, quantity: number, limit: number): Promise<void> {
  await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`offer-reservations:${offerId}:${buyerId}`]);
  const [{ held }] = await tx.execute<{ held: string }[]>(
    `select coalesce(sum(quantity), 0) as held from offer_purchases
      where offer_id = ? and user_id = ? and status = 'RESERVED' and reservation_expires_at > now()`,
    [offerId, buyerId],
  );
  const holding = Number(held);
  if (holding + quantity <= limit) return;
  throw conflict(
    `You already hold ${holding} unit${holding === 1 ? '' : 's'} of this offer in open reservations, and one person may hold at most ${limit} at once: pay for or let go of those first${holding < limit ? `, or ask for at most ${limit - holding}` : ''}.`,
    { reason: 'RESERVATION_LIMIT', held: holding, limit },
  );
}
