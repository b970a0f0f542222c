import type { MikroORM } from '@mikro-orm/postgresql';
import { Offer, type OfferType } from '../../subgraphs/offers/entities/offer';

/** Inserts one offer straight into the database (for tests whose subject is not creating offers). */
export async function insertOffer(
  orm: MikroORM,
  fields: Partial<Omit<Offer, 'id'>> & { eventId: string; priceCents?: number; type?: OfferType },
): Promise<Offer> {
  const offer = new Offer(fields.eventId, fields.title ?? 'Test offer', fields.type ?? 'DIGITAL', fields.priceCents ?? 1500, fields.currency ?? 'USD');
  Object.assign(offer, fields);
  await orm.em.fork().persistAndFlush(offer);
  return offer;
}

/** The offer's counters as the database has them now. */
export async function inventoryOf(orm: MikroORM, offerId: string): Promise<{ sold: number; reserved: number; total: number | null; isActive: boolean }> {
  const [row] = await orm.em.fork().execute<{ sold: number; reserved: number; inventory_total: number | null; is_active: boolean }[]>(
    'select sold, reserved, inventory_total, is_active from offers where id = ?',
    [offerId],
  );
  return { sold: row.sold, reserved: row.reserved, total: row.inventory_total, isActive: row.is_active };
}

/** Rows of a table about one offer's purchases. */
export async function purchasesOf(orm: MikroORM, offerId: string) {
  return orm.em.fork().execute<
    { id: string; user_id: string; status: string; fulfillment_status: string; fulfillment_note: string | null; tracking_reference: string | null; payment_intent_id: string | null; payment_provider: string; quantity: number; reservation_expires_at: Date | null }[]
  >('select * from offer_purchases where offer_id = ? order by created_at', [offerId]);
}
