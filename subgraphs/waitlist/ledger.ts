import type { EntityManager } from '@mikro-orm/postgresql';
import type { PriorityTier, WaitlistEntry } from './entities/waitlist-entry';
import { ENTRY_COLUMNS, toEntry } from './entry-rows';
import { tierRankSql } from './queue/tiers';

/** A session's seats as seen under its row lock: the one place that decides how many offers may go out. */
export interface LockedSession {
  sessionId: string;
  eventId: string;
  title: string;
  startsAt: Date;
  total: number;
  /** Seats taken by accepted offers. */
  used: number;
  /** Seats held by open offers. */
  offered: number;
  defaultTier: PriorityTier | null;
}

/** Seats neither taken nor held by an open offer: how many offers may go out now. */
export const freeSeats = (session: LockedSession) => Math.max(0, session.total - session.used - session.offered);

/**
 * Locks the session's `session_capacities` row for the rest of the transaction, creating it from the
 * platform's capacity on first use. Every change to a session's offers or seats takes this lock
 * first (acceptance takes it through its guarded UPDATE), so two of them never hand out the same
 * seat, and locks are always taken in the same order (session, then entries). Returns null when the
 * session does not exist, or with `skipLocked` when another transaction holds it.
 */
export async function lockSession(
  tx: EntityManager,
  sessionId: string,
  options: { skipLocked?: boolean } = {},
): Promise<LockedSession | null> {
  await tx.execute(
    `insert into session_capacities (session_id, event_id, total, used, updated_at)
     select id, event_id, capacity, 0, now() from platform_sessions where id = ?
     on conflict (session_id) do nothing`,
    [sessionId],
  );
  const rows = await tx.execute<Record<string, unknown>[]>(
    `select c.session_id, c.event_id, c.total, c.used, c.default_tier, s.title, s.starts_at
       from session_capacities c join platform_sessions s on s.id = c.session_id
      where c.session_id = ?
      for update of c${options.skipLocked ? ' skip locked' : ''}`,
    [sessionId],
  );
  const row = rows[0];
  if (!row) return null;
  // Counted in a statement of its own, after the lock is held: a statement that waited for the lock
  // still reads other tables as of its start, and would miss the offers its predecessor just made.
  const [{ offered }] = await tx.execute<{ offered: string }[]>(
    `select count(*) as offered from waitlist_entries where session_id = ? and status = 'OFFERED'`,
    [sessionId],
  );
  return {
    sessionId: row.session_id as string,
    eventId: row.event_id as string,
    title: row.title as string,
    startsAt: new Date(row.starts_at as string),
    total: Number(row.total),
    used: Number(row.used),
    offered: Number(offered),
    defaultTier: (row.default_tier as PriorityTier | null) ?? null,
  };
}

/** Marks the session's open offers whose time has run out EXPIRED; the caller holds the session lock. */
export async function expireLapsedOffers(tx: EntityManager, session: LockedSession, now: Date): Promise<WaitlistEntry[]> {
  const rows = await tx.execute<Record<string, unknown>[]>(
    `update waitlist_entries e set status = 'EXPIRED', expired_at = ?, updated_at = ?
      where e.session_id = ? and e.status = 'OFFERED' and e.offer_expires_at <= ?
      returning ${ENTRY_COLUMNS}`,
    [now, now, session.sessionId, now],
  );
  session.offered -= rows.length;
  return rows.map(toEntry);
}

/** The `count` people served next (VIP, PREMIUM, STANDARD; then by join time), locked; the caller holds the session lock. */
export async function nextWaiting(tx: EntityManager, sessionId: string, count: number): Promise<string[]> {
  const rows = await tx.execute<{ id: string }[]>(
    `select e.id from waitlist_entries e
      where e.session_id = ? and e.status = 'WAITING'
      order by ${tierRankSql('e')}, e.joined_at, e.id
      limit ? for update`,
    [sessionId, count],
  );
  return rows.map((row) => row.id);
}

/** One entry locked for a change, or null. */
export async function lockEntry(tx: EntityManager, entryId: string): Promise<WaitlistEntry | null> {
  const rows = await tx.execute<Record<string, unknown>[]>(
    `select ${ENTRY_COLUMNS} from waitlist_entries e where e.id = ? for update`,
    [entryId],
  );
  return rows[0] ? toEntry(rows[0]) : null;
}

/** The caller's entry that still holds a place (waiting, offered or seated), locked, or null. */
export async function lockOpenEntryOf(tx: EntityManager, sessionId: string, userId: string): Promise<WaitlistEntry | null> {
  const rows = await tx.execute<Record<string, unknown>[]>(
    `select ${ENTRY_COLUMNS} from waitlist_entries e
      where e.session_id = ? and e.user_id = ? and e.status in ('WAITING', 'OFFERED', 'ACCEPTED')
      for update`,
    [sessionId, userId],
  );
  return rows[0] ? toEntry(rows[0]) : null;
}
