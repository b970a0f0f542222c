import type { Offer } from './entities/offer';

/**
 * The one home of "an offer is visible" and "an offer is on sale", as TypeScript predicates and as
 * the SQL that says the same of a row (tests/unit/offer-availability.test.ts runs both on the same
 * rows). Visible (to attendees): active and not ended; an offer that has not started yet is shown
 * so attendees can see what is coming. On sale: visible, started, and with units left. Organizers
 * see every offer of their events; that is the permission layer's part.
 */
export type OfferWindow = Pick<Offer, 'isActive' | 'startsAt' | 'expiresAt'>;
export type OfferStock = Pick<Offer, 'inventoryTotal' | 'sold' | 'reserved'>;

const hasStarted = (offer: OfferWindow, now: Date): boolean => !offer.startsAt || offer.startsAt <= now;
const hasEnded = (offer: OfferWindow, now: Date): boolean => offer.expiresAt !== null && offer.expiresAt <= now;

/** Units left to sell; null for an offer without a limit. */
export function availableUnits(offer: OfferStock): number | null {
  return offer.inventoryTotal === null ? null : Math.max(0, offer.inventoryTotal - offer.sold - offer.reserved);
}

/** What attendees may see of an event's offers: active ones that have not ended. */
export function isVisibleToAttendees(offer: OfferWindow, now = new Date()): boolean {
  return offer.isActive && !hasEnded(offer, now);
}

/** Whether an offer can be bought at `now`: visible, started, and with `quantity` units left. */
export function isOnSale(offer: OfferWindow & OfferStock, now = new Date(), quantity = 1): boolean {
  const available = availableUnits(offer);
  return isVisibleToAttendees(offer, now) && hasStarted(offer, now) && (available === null || available >= quantity);
}

/**
 * The same rules as SQL conditions on the `offers` row named `row` (an alias or the table name).
 * `now` and `quantity` are SQL expressions: a placeholder (`?`), `now()`, or a literal.
 */
export const offerSql = {
  started: (row: string, now: string) => `(${row}.starts_at is null or ${row}.starts_at <= ${now})`,
  ended: (row: string, now: string) => `(${row}.expires_at is not null and ${row}.expires_at <= ${now})`,
  hasUnits: (row: string, quantity = '1') =>
    `(${row}.inventory_total is null or ${row}.inventory_total - ${row}.sold - ${row}.reserved >= ${quantity})`,
  available: (row: string) =>
    `(case when ${row}.inventory_total is null then null else greatest(${row}.inventory_total - ${row}.sold - ${row}.reserved, 0) end)`,
  visible: (row: string, now: string) => `(${row}.is_active and not ${offerSql.ended(row, now)})`,
  onSale: (row: string, now: string, quantity = '1') =>
    `(${offerSql.visible(row, now)} and ${offerSql.started(row, now)} and ${offerSql.hasUnits(row, quantity)})`,
};
