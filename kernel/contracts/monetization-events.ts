import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueMessage } from '../outbox/outbox';
import type { Envelope } from '../events/envelope';

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

/**
 * What every monetization message carries; amounts in integer cents where there are any.
 *
 * How analytics reads it (subgraphs/analytics/ingestion): `eventId` is required; `offerId` and
 * `adId`, when present, must be UUIDs; `quantity` (units, default 1 for purchases and refunds) and
 * `amountCents` are non-negative integers; `currency` is the ISO code of `amountCents` (sums count
 * only amounts in the event's currency, or without a currency). `PurchaseCompleted` adds
 * `amountCents` to revenue and `PurchaseRefunded` subtracts its own `amountCents`. A message whose data
 * breaks these rules is skipped with a warning, since it could never succeed on retry.
 */
export interface MonetizationEventData {
  eventId: string;
  offerId?: string;
  adId?: string;
  sessionId?: string;
  userId?: string | null;
  quantity?: number;
  amountCents?: number;
  currency?: string;
  /**
   * Optional: the offer's title when the message was published. Analytics keeps the latest one it
   * saw so that exports can name offers (it cannot call the offers subgraph); without it, exports
   * show the offer id. At most 300 characters are kept.
   */
  offerTitle?: string;
  /** Optional: the ad's name when the message was published, for exports, like `offerTitle`. */
  adName?: string;
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
