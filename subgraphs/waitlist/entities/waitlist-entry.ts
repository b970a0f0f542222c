import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';
import { nullableTimestamptz, timestamptz } from '../../../kernel/db/columns';

export const PRIORITY_TIERS = ['VIP', 'PREMIUM', 'STANDARD'] as const;
export type PriorityTier = (typeof PRIORITY_TIERS)[number];
export const WAITLIST_STATUSES = ['WAITING', 'OFFERED', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'REMOVED', 'LEFT'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

/**
 * A caller's durable place on a session's waitlist; Redis only mirrors the order. The GraphQL
 * `WaitlistEntry` resolves from this shape, whether it was loaded by the ORM or read from raw SQL.
 */
export class WaitlistEntry {
  id: string = randomUUID();
  status: WaitlistStatus = 'WAITING';
  offeredAt: Date | null = null;
  offerExpiresAt: Date | null = null;
  offerTokenId: string | null = null;
  acceptedAt: Date | null = null;
  declinedAt: Date | null = null;
  expiredAt: Date | null = null;
  removedAt: Date | null = null;
  leftAt: Date | null = null;
  /** Email and name from the joiner's sign-in, used when the platform's user record is not there yet. */
  contactEmail: string | null = null;
  contactName: string | null = null;
  updatedAt = new Date();

  constructor(
    public sessionId: string,
    public eventId: string,
    public userId: string,
    public priorityTier: PriorityTier,
    public joinedAt: Date = new Date(),
  ) {}
}

export const WaitlistEntrySchema = new EntitySchema<WaitlistEntry>({
  class: WaitlistEntry,
  tableName: 'waitlist_entries',
  properties: {
    id: { type: 'uuid', primary: true },
    sessionId: { type: 'string', columnType: 'text' },
    eventId: { type: 'string', columnType: 'text' },
    userId: { type: 'string', columnType: 'text' },
    priorityTier: { type: 'string', columnType: 'text' },
    status: { type: 'string', columnType: 'text' },
    joinedAt: timestamptz(),
    offeredAt: nullableTimestamptz(),
    offerExpiresAt: nullableTimestamptz(),
    offerTokenId: { type: 'uuid', nullable: true },
    acceptedAt: nullableTimestamptz(),
    declinedAt: nullableTimestamptz(),
    expiredAt: nullableTimestamptz(),
    removedAt: nullableTimestamptz(),
    leftAt: nullableTimestamptz(),
    contactEmail: { type: 'string', columnType: 'text', nullable: true },
    contactName: { type: 'string', columnType: 'text', nullable: true },
    updatedAt: timestamptz({ onUpdate: () => new Date() }),
  },
});
