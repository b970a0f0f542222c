import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueMessage } from '../outbox/outbox';
import type { Envelope } from './envelope';

/** The topic between subgraphs that analytics reads (contract "Messages on Kafka"). */
export const MONETIZATION_TOPIC = 'monetization.events.v1';

export const MONETIZATION_EVENT_TYPES = [
  'OfferViewed',
  'OfferClicked',
  'PurchaseCompleted',
  'PurchaseRefunded',
  'AdImpression',
  'AdClicked',
  'WaitlistJoined',
  'WaitlistOffered',
  'WaitlistAccepted',
  'WaitlistDeclined',
  'WaitlistExpired',
] as const;
export type MonetizationEventType = (typeof MONETIZATION_EVENT_TYPES)[number];

/** What every monetization message carries; amounts in integer cents where there are any. */
export interface MonetizationEventData {
  eventId: string;
  offerId?: string;
  adId?: string;
  sessionId?: string;
  userId?: string | null;
  quantity?: number;
  amountCents?: number;
  currency?: string;
}

/**
 * Publishes a monetization fact through the outbox, in the caller's transaction, keyed by the
 * platform event id so analytics sees one event's facts in order.
 */
export function publishMonetizationEvent(
  em: EntityManager,
  type: MonetizationEventType,
  data: MonetizationEventData,
  occurredAt: Date = new Date(),
): Envelope<MonetizationEventData> {
  return enqueueMessage(em, { topic: MONETIZATION_TOPIC, key: data.eventId, type, data, occurredAt });
}
