import type { MikroORM } from '@mikro-orm/postgresql';
import { Ad } from '../../subgraphs/ads/entities/ad';
import { Offer } from '../../subgraphs/offers/entities/offer';

/** Adds `count` offers and ads to an event, straight into the database. */
export async function addCatalog(orm: MikroORM, eventId: string, count: number, currency = 'USD'): Promise<void> {
  const em = orm.em.fork();
  for (let i = 0; i < count; i += 1) {
    const offer = new Offer(eventId, `Offer ${i + 1}`, 'DIGITAL', 1000 + i, currency);
    offer.inventoryTotal = 10 + i;
    const ad = new Ad(eventId, `Ad ${i + 1}`, `https://cdn.example.com/${i}.png`, `https://example.com/${i}`);
    ad.placements = ['lobby-banner'];
    // Distinct creation times keep the listing order (creation order) deterministic.
    offer.createdAt = ad.createdAt = new Date(Date.now() - (count - i) * 1000);
    em.persist([offer, ad]);
  }
  await em.flush();
}
