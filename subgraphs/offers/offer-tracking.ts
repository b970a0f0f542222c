import { notFound } from '../../kernel/errors';
import { publishMonetizationEvent } from '../../kernel/contracts/monetization-events';
import type { OffersContext } from './context';

/**
 * Records that the caller saw an offer, or opened it: the top of the analytics funnel
 * (views → clicks → purchases). Only offers the caller may see count (the shield rule checks it);
 * nothing else is written.
 */
export async function trackOfferInterest(context: OffersContext, offerId: string, type: 'OfferViewed' | 'OfferClicked'): Promise<boolean> {
  const offer = await context.loaders.offerById.load(offerId);
  if (!offer) throw notFound('The offer');
  await context.em.fork().transactional(async (tx) => {
    publishMonetizationEvent(tx, type, {
      eventId: offer.eventId,
      offerId: offer.id,
      userId: context.identity?.userId ?? null,
      offerTitle: offer.title,
    });
  });
  return true;
}
