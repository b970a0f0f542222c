import { platformEntities } from '../kernel/platform/entities';
import { messagingEntities } from '../kernel/outbox/entities';
import { OfferSchema } from './offers/entities/offer';
import { OfferPurchaseSchema } from './offers/entities/offer-purchase';
import { AdSchema } from './ads/entities/ad';
import { AdEventSchema } from './ads/entities/ad-event';
import { WaitlistEntrySchema } from './waitlist/entities/waitlist-entry';
import { SessionCapacitySchema } from './waitlist/entities/session-capacity';
import { MonetizationEventSchema } from './analytics/entities/monetization-event';

/** Every table the ORM maps: the shared kernel's and each domain's. One database, one migration history. */
export const allEntities = [
  ...platformEntities,
  ...messagingEntities,
  OfferSchema,
  OfferPurchaseSchema,
  AdSchema,
  AdEventSchema,
  WaitlistEntrySchema,
  SessionCapacitySchema,
  MonetizationEventSchema,
];
