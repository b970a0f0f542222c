import { EntitySchema } from '@mikro-orm/core';
import { bigintNumber, timestamptz } from '../../../kernel/db/columns';

/** One monetization fact ingested from `monetization.events.v1`, keyed by the envelope id. */
export class MonetizationEvent {
  offerId: string | null = null;
  adId: string | null = null;
  sessionId: string | null = null;
  userId: string | null = null;
  quantity: number | null = null;
  amountCents: number | null = null;
  currency: string | null = null;
  /** The offer title or ad name the message carried, kept for exports. */
  offerTitle: string | null = null;
  adName: string | null = null;

  constructor(
    public id: string,
    public eventId: string,
    public eventType: string,
    public createdAt: Date,
  ) {}
}

export const MonetizationEventSchema = new EntitySchema<MonetizationEvent>({
  class: MonetizationEvent,
  tableName: 'monetization_events',
  properties: {
    id: { type: 'string', columnType: 'text', primary: true },
    eventId: { type: 'string', columnType: 'text' },
    eventType: { type: 'string', columnType: 'text' },
    offerId: { type: 'uuid', nullable: true },
    adId: { type: 'uuid', nullable: true },
    sessionId: { type: 'string', columnType: 'text', nullable: true },
    userId: { type: 'string', columnType: 'text', nullable: true },
    quantity: { type: 'integer', nullable: true },
    amountCents: bigintNumber({ nullable: true }),
    currency: { type: 'string', columnType: 'char(3)', nullable: true },
    offerTitle: { type: 'string', columnType: 'text', nullable: true },
    adName: { type: 'string', columnType: 'text', nullable: true },
    createdAt: timestamptz(),
  },
});
