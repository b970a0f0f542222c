import { pgArray } from '../../kernel/db/sql';
import { notFound } from '../../kernel/errors';
import type { WaitlistEntry } from './entities/waitlist-entry';
import { ENTRY_COLUMNS, memberOf, toEntry } from './entry-rows';
import { expireLapsedOffers, freeSeats, lockSession, nextWaiting, type LockedSession } from './ledger';
import { announceOffer, recordWaitlistFact, type OfferVia } from './notifications';
import { TIER_RANK } from './queue/tiers';
import type { WaitlistTx } from './transaction';

/**
 * Locks a session for a change and settles what time has already decided: open offers past their
 * expiry become EXPIRED (and are recorded), and the seats they held are offered to the next people,
 * whichever transaction (the sweeper or any request) notices first.
 */
export async function openSession(
  work: WaitlistTx,
  sessionId: string,
  options: { skipLocked?: boolean } = {},
): Promise<LockedSession | null> {
  const session = await lockSession(work.tx, sessionId, options);
  if (!session) return null;
  const expired = await expireLapsedOffers(work.tx, session, work.now);
  for (const entry of expired) {
    recordWaitlistFact(work.tx, 'WaitlistExpired', entry, work.now);
    work.after.announce(session.sessionId, session.eventId, 'expired');
  }
  if (expired.length > 0) await offerFreeSeats(work, session, expired.length);
  return session;
}

/**
 * Moves WAITING entries to OFFERED with a fresh token id and expiry, and writes one WaitlistOfferSent
 * notification and one WaitlistOffered fact per offer. The caller holds the session lock and has
 * checked that the seats are free. Returns the offered entries in serving order.
 */
export async function offerEntries(
  work: WaitlistTx,
  session: LockedSession,
  entryIds: string[],
  via: OfferVia,
): Promise<WaitlistEntry[]> {
  if (entryIds.length === 0) return [];
  const expiresAt = new Date(work.now.getTime() + work.services.offerTtlMs);
  const rows = await work.tx.execute<Record<string, unknown>[]>(
    `update waitlist_entries e
        set status = 'OFFERED', offered_at = ?, offer_expires_at = ?, offer_token_id = gen_random_uuid(), updated_at = ?
      where e.id = any(?::uuid[]) and e.session_id = ? and e.status = 'WAITING'
      returning ${ENTRY_COLUMNS},
        (select u.email from platform_users u where u.id = e.user_id) as platform_email,
        (select u.name from platform_users u where u.id = e.user_id) as platform_name`,
    [work.now, expiresAt, work.now, pgArray(entryIds), session.sessionId],
  );
  const offered = rows
    .map((row) => ({ entry: toEntry(row), email: row.platform_email as string | null, name: row.platform_name as string | null }))
    .sort((a, b) => compareServingOrder(a.entry, b.entry));
  session.offered += offered.length;
  for (const { entry, email, name } of offered) {
    const offerToken = work.services.tokens.sign({
      entryId: entry.id,
      sessionId: entry.sessionId,
      tokenId: entry.offerTokenId!,
      expiresAt,
    });
    announceOffer(work.tx, {
      entryId: entry.id,
      userId: entry.userId,
      email: email ?? entry.contactEmail,
      name: name ?? entry.contactName,
      eventId: entry.eventId,
      sessionId: entry.sessionId,
      title: session.title,
      startsAt: session.startsAt.toISOString(),
      priorityTier: entry.priorityTier,
      offerToken,
      expiresAt: expiresAt.toISOString(),
      via,
    }, work.now);
    recordWaitlistFact(work.tx, 'WaitlistOffered', entry, work.now);
    work.after.dequeue(memberOf(entry));
    work.after.announce(session.sessionId, session.eventId, 'offered');
  }
  return offered.map(({ entry }) => entry);
}

/** {@link openSession} for a session that must exist (NOT_FOUND otherwise). */
export async function openExistingSession(work: WaitlistTx, sessionId: string): Promise<LockedSession> {
  const session = await openSession(work, sessionId);
  if (!session) throw notFound('The session');
  return session;
}

/** Ends an entry (LEFT or REMOVED); a seat or open offer it held is offered to the next person. */
export async function releaseEntry(
  work: WaitlistTx,
  locked: LockedSession,
  entry: WaitlistEntry,
  status: 'LEFT' | 'REMOVED',
): Promise<void> {
  await work.tx.execute(
    `update waitlist_entries set status = ?, ${status === 'LEFT' ? 'left_at' : 'removed_at'} = ?, updated_at = ? where id = ?`,
    [status, work.now, work.now, entry.id],
  );
  work.after.announce(locked.sessionId, locked.eventId, status === 'LEFT' ? 'left' : 'removed');
  if (entry.status === 'WAITING') {
    work.after.dequeue(memberOf(entry));
    return;
  }
  if (entry.status === 'OFFERED') {
    locked.offered -= 1;
    // Walking away from an open offer is, for analytics, declining it.
    if (status === 'LEFT') recordWaitlistFact(work.tx, 'WaitlistDeclined', entry, work.now);
  } else {
    await work.tx.execute(`update session_capacities set used = used - 1, updated_at = ? where session_id = ?`, [
      work.now,
      locked.sessionId,
    ]);
    locked.used -= 1;
  }
  await offerFreeSeats(work, locked, 1);
}

/** Offers up to `limit` free seats (all of them by default) to the people served next. */
export async function offerFreeSeats(work: WaitlistTx, session: LockedSession, limit = Infinity): Promise<WaitlistEntry[]> {
  const count = Math.min(freeSeats(session), limit);
  if (count <= 0) return [];
  return offerEntries(work, session, await nextWaiting(work.tx, session.sessionId, count), 'AUTOMATIC');
}

function compareServingOrder(a: WaitlistEntry, b: WaitlistEntry): number {
  return (
    TIER_RANK[a.priorityTier] - TIER_RANK[b.priorityTier] ||
    a.joinedAt.getTime() - b.joinedAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
