import type { EntityManager } from '@mikro-orm/postgresql';
import { Offer } from './entities/offer';

/** Whether an offer is on sale at `now`: active, inside its window, and not sold out. */
export function isOnSale(offer: Offer, now = new Date()): boolean {
  if (!offer.isActive) return false;
  if (offer.startsAt && offer.startsAt > now) return false;
  if (offer.expiresAt && offer.expiresAt <= now) return false;
  return offer.inventoryTotal === null || offer.inventoryTotal - offer.sold - offer.reserved > 0;
}

export function availableUnits(offer: Offer): number | null {
  return offer.inventoryTotal === null ? null : Math.max(0, offer.inventoryTotal - offer.sold - offer.reserved);
}

/** Offers on sale now, filtered in SQL: sold-out, inactive and out-of-window offers never leave the database. */
export async function findActiveOffers(em: EntityManager, eventId: string, now = new Date()): Promise<Offer[]> {
  return em
    .createQueryBuilder(Offer, 'o')
    .select('*')
    .where({ eventId, isActive: true })
    .andWhere('(o.starts_at is null or o.starts_at <= ?)', [now])
    .andWhere('(o.expires_at is null or o.expires_at > ?)', [now])
    .andWhere('(o.inventory_total is null or o.inventory_total - o.sold - o.reserved > 0)')
    .orderBy({ createdAt: 'asc', id: 'asc' })
    .getResultList();
}
