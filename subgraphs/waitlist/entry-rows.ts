import type { PriorityTier, WaitlistEntry, WaitlistStatus } from './entities/waitlist-entry';
import type { QueueMember } from './queue/queue';

/** The columns of `waitlist_entries` that make a {@link WaitlistEntry}, for raw SQL on alias `e`. */
export const ENTRY_COLUMNS = [
  'id',
  'session_id',
  'event_id',
  'user_id',
  'priority_tier',
  'status',
  'joined_at',
  'offered_at',
  'offer_expires_at',
  'offer_token_id',
  'accepted_at',
  'declined_at',
  'expired_at',
  'removed_at',
  'left_at',
  'contact_email',
  'contact_name',
  'updated_at',
]
  .map((column) => `e.${column}`)
  .join(', ');

const date = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string));

/** A raw `waitlist_entries` row as a WaitlistEntry (the shape GraphQL resolves from). */
export function toEntry(row: Record<string, unknown>): WaitlistEntry {
  return {
    id: row.id as string,
    sessionId: row.session_id as string,
    eventId: row.event_id as string,
    userId: row.user_id as string,
    priorityTier: row.priority_tier as PriorityTier,
    status: row.status as WaitlistStatus,
    joinedAt: date(row.joined_at)!,
    offeredAt: date(row.offered_at),
    offerExpiresAt: date(row.offer_expires_at),
    offerTokenId: (row.offer_token_id as string | null) ?? null,
    acceptedAt: date(row.accepted_at),
    declinedAt: date(row.declined_at),
    expiredAt: date(row.expired_at),
    removedAt: date(row.removed_at),
    leftAt: date(row.left_at),
    contactEmail: (row.contact_email as string | null) ?? null,
    contactName: (row.contact_name as string | null) ?? null,
    updatedAt: date(row.updated_at)!,
  };
}

/** The entry as a member of its session's sorted sets. */
export const memberOf = (entry: WaitlistEntry): QueueMember => ({
  entryId: entry.id,
  sessionId: entry.sessionId,
  tier: entry.priorityTier,
  joinedAt: entry.joinedAt,
});
