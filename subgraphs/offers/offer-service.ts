import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput, notFound } from '../../kernel/errors';
import { Offer } from './entities/offer';
import { offerSql } from './offer-availability';
import { applyOfferChanges, validateNewOffer, type OfferFields } from './offer-input';
import type { CreateOfferInput, UpdateOfferInput } from './generated/resolvers-types';

/** On sale at the one bound time (it appears twice). */
const ON_SALE_AT = offerSql.onSale('o', '?');

/** Offers on sale now, filtered in SQL: sold-out, inactive and out-of-window offers never leave the database. */
export async function findActiveOffers(em: EntityManager, eventId: string, now = new Date()): Promise<Offer[]> {
  return em
    .createQueryBuilder(Offer, 'o')
    .select('*')
    .where({ eventId })
    .andWhere(ON_SALE_AT, [now, now])
    .orderBy({ createdAt: 'asc', id: 'asc' })
    .getResultList();
}

/** Creates an offer from validated input; the price's currency defaults to the event's. */
export async function createOffer(em: EntityManager, input: CreateOfferInput, eventCurrency: string): Promise<Offer> {
  const fields = validateNewOffer(input, eventCurrency);
  const offer = new Offer(input.eventId, fields.title, fields.type, fields.priceCents, fields.currency);
  Object.assign(offer, fields);
  await em.persistAndFlush(offer);
  return offer;
}

/** Column of each field an update may change. */
const COLUMNS: Record<keyof OfferFields, string> = {
  title: 'title',
  description: 'description',
  type: 'type',
  imageUrl: 'image_url',
  priceCents: 'price_cents',
  originalPriceCents: 'original_price_cents',
  currency: 'currency',
  inventoryTotal: 'inventory_total',
  startsAt: 'starts_at',
  expiresAt: 'expires_at',
  placement: 'placement',
  isActive: 'is_active',
};

/**
 * Applies validated changes in one statement that writes only the changed columns (a concurrent
 * edit of other fields is not overwritten) and refuses, atomically, an inventory total below the
 * units already sold or reserved: a purchase committed meanwhile is counted.
 */
export async function updateOffer(em: EntityManager, offer: Offer, input: UpdateOfferInput): Promise<Offer> {
  const current = fieldsOf(offer);
  const next = applyOfferChanges(current, input);
  const changed = (Object.keys(COLUMNS) as (keyof OfferFields)[]).filter((key) => !sameValue(current[key], next[key]));
  if (changed.length > 0) {
    const assignments = changed.map((key) => `${COLUMNS[key]} = ?`).join(', ');
    const rows = await em.execute<{ id: string }[]>(
      `update offers set ${assignments}, updated_at = now()
        where id = ? and (?::int is null or sold + reserved <= ?::int)
        returning id`,
      [...changed.map((key) => next[key]), offer.id, next.inventoryTotal, next.inventoryTotal],
    );
    if (rows.length === 0) {
      const [counts] = await em.execute<{ taken: number }[]>(`select sold + reserved as taken from offers where id = ?`, [offer.id]);
      if (!counts) throw notFound('The offer');
      throw badUserInput(
        'input.inventoryTotal',
        `inventoryTotal cannot be below the ${counts.taken} units already sold or reserved.`,
      );
    }
  }
  return em.fork().findOneOrFail(Offer, offer.id);
}

function fieldsOf(offer: Offer): OfferFields {
  return {
    title: offer.title,
    description: offer.description,
    type: offer.type,
    imageUrl: offer.imageUrl,
    priceCents: offer.priceCents,
    originalPriceCents: offer.originalPriceCents,
    currency: offer.currency,
    inventoryTotal: offer.inventoryTotal,
    startsAt: offer.startsAt,
    expiresAt: offer.expiresAt,
    placement: offer.placement,
    isActive: offer.isActive,
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}
