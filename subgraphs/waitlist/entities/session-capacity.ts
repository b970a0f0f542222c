import { EntitySchema } from '@mikro-orm/core';
import { timestamptz } from '../../../kernel/db/columns';
import type { PriorityTier } from './waitlist-entry';

/** Seats of a session: `used <= total` is enforced by the database. */
export class SessionCapacity {
  used = 0;
  defaultTier: PriorityTier | null = null;
  updatedAt = new Date();

  constructor(
    public sessionId: string,
    public eventId: string,
    public total: number,
  ) {}
}

export const SessionCapacitySchema = new EntitySchema<SessionCapacity>({
  class: SessionCapacity,
  tableName: 'session_capacities',
  properties: {
    sessionId: { type: 'string', columnType: 'text', primary: true },
    eventId: { type: 'string', columnType: 'text' },
    total: { type: 'integer' },
    used: { type: 'integer' },
    defaultTier: { type: 'string', columnType: 'text', nullable: true },
    updatedAt: timestamptz({ onUpdate: () => new Date() }),
  },
});
