import type { EntityManager } from '@mikro-orm/postgresql';
import { publishMonetizationEvent, type MonetizationEventType } from '../../kernel/contracts/monetization-events';
import { enqueueMessage } from '../../kernel/outbox/outbox';
import type { PriorityTier, WaitlistEntry } from './entities/waitlist-entry';

/** The contract's topic of offer notifications, read by the notification workers. */
export const WAITLIST_OFFERS_TOPIC = 'waitlist.offers.v1';
export const WAITLIST_OFFER_SENT = 'WaitlistOfferSent';

/** How an offer came about: an organizer's single or bulk send, or the service filling a freed seat. */
export type OfferVia = 'SINGLE' | 'BULK' | 'AUTOMATIC';

/** `data` of a WaitlistOfferSent message: everything a notification worker needs to write to the person. */
export interface WaitlistOfferSentData {
  entryId: string;
  userId: string;
  /** Null only when neither the platform nor the person's sign-in ever told us. */
  email: string | null;
  name: string | null;
  eventId: string;
  sessionId: string;
  /** Title and start of the session. */
  title: string;
  startsAt: string;
  priorityTier: PriorityTier;
  offerToken: string;
  expiresAt: string;
  via: OfferVia;
}

/**
 * Writes the offer's notification to the outbox in the caller's transaction, keyed by entry id so
 * a person's offers stay in order. The relay publishes it; the request never waits on Kafka.
 */
export function announceOffer(tx: EntityManager, data: WaitlistOfferSentData, occurredAt: Date): void {
  enqueueMessage(tx, { topic: WAITLIST_OFFERS_TOPIC, key: data.entryId, type: WAITLIST_OFFER_SENT, data, occurredAt });
}

/** The monetization fact of a waitlist change, for analytics, in the caller's transaction. */
export function recordWaitlistFact(tx: EntityManager, type: MonetizationEventType, entry: WaitlistEntry, at = new Date()): void {
  publishMonetizationEvent(tx, type, { eventId: entry.eventId, sessionId: entry.sessionId, userId: entry.userId }, at);
}
