import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';
import { timestamptz } from '../../../kernel/db/columns';

export type AdEventType = 'IMPRESSION' | 'CLICK';

/** One impression or click of an ad. */
export class AdEvent {
  id: string = randomUUID();
  createdAt = new Date();

  constructor(
    public adId: string,
    public eventId: string,
    public eventType: AdEventType,
    public userId: string | null,
    public sessionId: string | null,
  ) {}
}

export const AdEventSchema = new EntitySchema<AdEvent>({
  class: AdEvent,
  tableName: 'ad_events',
  properties: {
    id: { type: 'uuid', primary: true },
    adId: { type: 'uuid' },
    eventId: { type: 'string', columnType: 'text' },
    eventType: { type: 'string', columnType: 'text' },
    userId: { type: 'string', columnType: 'text', nullable: true },
    sessionId: { type: 'string', columnType: 'text', nullable: true },
    createdAt: timestamptz(),
  },
});
