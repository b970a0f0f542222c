import type { MikroORM } from '@mikro-orm/postgresql';
import { Ad } from '../subgraphs/ads/entities/ad';
import { Offer } from '../subgraphs/offers/entities/offer';

/** A few offers and ads on the demo events, added once (a restart does not duplicate them). */
export async function seedDemoCatalog(orm: MikroORM): Promise<void> {
  await orm.em.fork().transactional(async (em) => {
    if ((await em.count(Offer, {})) > 0) return;
    const upgrade = new Offer('ev-private', 'VIP lounge upgrade', 'TICKET_UPGRADE', 4900, 'USD');
    upgrade.description = 'Lounge access, reserved seating and a welcome drink.';
    upgrade.originalPriceCents = 6900;
    upgrade.inventoryTotal = 25;
    const hoodie = new Offer('ev-private', 'Summit hoodie', 'PHYSICAL', 3500, 'USD');
    hoodie.inventoryTotal = 100;
    const recording = new Offer('ev-private', 'Session recordings', 'DIGITAL', 1900, 'USD');
    const tote = new Offer('ev-public', 'Open Day tote bag', 'PHYSICAL', 0, 'EUR');
    tote.inventoryTotal = 50;
    const banner = new Ad('ev-private', 'Sponsor banner', 'https://cdn.example.com/ads/banner.png', 'https://sponsor.example.com/');
    banner.placements = ['lobby-banner'];
    banner.aspectRatio = '16:9';
    banner.frequencyCap = 3;
    const sidebar = new Ad('ev-public', 'Open Day partner', 'https://cdn.example.com/ads/partner.png', 'https://partner.example.com/');
    sidebar.placements = ['sidebar'];
    sidebar.aspectRatio = '1:1';
    em.persist([upgrade, hoodie, recording, tote, banner, sidebar]);
  });
}
