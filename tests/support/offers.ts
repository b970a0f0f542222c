import type { MikroORM } from '@mikro-orm/postgresql';
import type { TransitionKind } from '../../subgraphs/offers/purchase/purchase-transitions';
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

/** A purchase's recorded transitions, oldest first. */
export async function transitionsOf(
  orm: MikroORM,
  purchaseId: string,
): Promise<{ kind: TransitionKind; from: string | null; to: string; note: string | null; at: Date }[]> {
  const rows = await orm.em
    .fork()
    .execute<{ kind: TransitionKind; from_state: string | null; to_state: string; note: string | null; at: string | Date }[]>(
      'select kind, from_state, to_state, note, at from offer_purchase_transitions where purchase_id = ? order by at, id',
      [purchaseId],
    );
  return rows.map((row) => ({ kind: row.kind, from: row.from_state, to: row.to_state, note: row.note, at: new Date(row.at) }));
}
