import type { OffersContext } from './context';
import type { Offer } from './entities/offer';

/** What attendees may see of an event's offers: active ones that have not ended. */
export function isVisibleToAttendees(offer: Pick<Offer, 'isActive' | 'expiresAt'>, now = new Date()): boolean {
  return offer.isActive && (!offer.expiresAt || offer.expiresAt > now);
}

/** Offers the caller may see: organizers see drafts and past offers too. */
export async function visibleOffers(offers: Offer[], eventId: string, context: OffersContext): Promise<Offer[]> {
  if (await context.access.isEventOrganizer(eventId)) return offers;
  const now = new Date();
  return offers.filter((offer) => isVisibleToAttendees(offer, now));
}
