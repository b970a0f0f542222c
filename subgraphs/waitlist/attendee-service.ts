import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../../kernel/auth/identity';
import { badUserInput, conflict, forbidden, notFound, unauthenticated } from '../../kernel/errors';
import type { EventAccess } from '../../kernel/platform/access';
import type { PriorityTier, WaitlistEntry } from './entities/waitlist-entry';
import { ENTRY_COLUMNS, memberOf, toEntry } from './entry-rows';
import { freeSeats, lockEntry, lockOpenEntryOf, type LockedSession } from './ledger';
import { recordWaitlistFact } from './notifications';
import { offerEntries, offerFreeSeats, openExistingSession, releaseEntry } from './offering';
import type { OfferClaims } from './offer-token';
import { mayQueue } from './policy';
import type { WaitlistServices } from './services';
import { servedBeforeNewcomerSql } from './queue/position';
import { resolveTier, TIER_RANK } from './queue/tiers';
import { runWaitlistTx, type WaitlistTx } from './transaction';

/**
 * What attendees do on a waitlist, for one request: join, leave, see their place, accept or decline
 * their offer. Every change runs in one transaction that locks the session first (see
 * `lockSession`); the Redis mirror and the live channel are told only after it commits.
 */
export class AttendeeService {
  constructor(
    private readonly em: EntityManager,
    private readonly access: EventAccess,
    private readonly identity: Identity | null,
    private readonly services: WaitlistServices,
  ) {}

  /** Puts the caller on the session's waitlist, or straight onto an offer when a seat is free and nobody waits ahead. */
  async join(sessionId: string): Promise<WaitlistEntry> {
    const user = this.requireUser();
    const session = await this.access.sessions.load(sessionId);
    if (!session) throw notFound('The session');
    const registration = await this.access.registrations.load(session.eventId);
    return runWaitlistTx(this.em, this.services, async (work) => {
      const locked = await openExistingSession(work, sessionId);
      const [previous] = await work.tx.execute<{ last_status: string | null; tier_override: PriorityTier | null }[]>(
        `select (select e.status from waitlist_entries e where e.session_id = ? and e.user_id = ?
                  order by e.joined_at desc limit 1) as last_status,
                (select o.tier from waitlist_tier_overrides o where o.session_id = ? and o.user_id = ?) as tier_override`,
        [sessionId, user.userId, sessionId, user.userId],
      );
      if (previous.last_status && ['WAITING', 'OFFERED', 'ACCEPTED'].includes(previous.last_status)) {
        throw conflict('You are already on the waitlist for this session.', { reason: 'ALREADY_JOINED' });
      }
      if (previous.last_status === 'REMOVED') {
        throw forbidden('An organizer removed you from this waitlist; you cannot join it again.');
      }
      const tier = resolveTier({
        userOverride: previous.tier_override,
        sessionTier: locked.defaultTier,
        ticketTier: registration?.ticketTier,
      });
      const entry = await this.insertEntry(work, locked, user, tier);
      recordWaitlistFact(work.tx, 'WaitlistJoined', entry, work.now);
      work.after.announce(sessionId, locked.eventId, 'joined');
      const [{ ahead }] = await work.tx.execute<{ ahead: string }[]>(
        `select count(*) as ahead from waitlist_entries e
          where e.session_id = ? and e.status = 'WAITING' and e.id <> ? and ${servedBeforeNewcomerSql('e', '?')}`,
        [sessionId, entry.id, TIER_RANK[tier]],
      );
      if (freeSeats(locked) > 0 && Number(ahead) === 0) {
        const [offered] = await offerEntries(work, locked, [entry.id], 'AUTOMATIC');
        if (offered) return offered;
      }
      work.after.enqueue(memberOf(entry));
      return entry;
    });
  }

  /** Takes the caller off the session's waitlist; a seat or offer they held goes to the next person. */
  async leave(sessionId: string): Promise<boolean> {
    const user = this.requireUser();
    return runWaitlistTx(this.em, this.services, async (work) => {
      const locked = await openExistingSession(work, sessionId);
      const entry = await lockOpenEntryOf(work.tx, sessionId, user.userId);
      if (!entry) throw notFound('Your place on this waitlist');
      await releaseEntry(work, locked, entry, 'LEFT');
      return true;
    });
  }

  /**
   * Takes the seat an offer promised. The seat is counted by one guarded UPDATE (`used < total`), so
   * concurrent acceptances never exceed the capacity; the entry moves OFFERED → ACCEPTED only with
   * the token's own offer id, so a token works once.
   */
  async accept(token: string, sessionId: string | null | undefined): Promise<WaitlistEntry> {
    const claims = await this.checkOffer(token, sessionId);
    return runWaitlistTx(this.em, this.services, async (work) => {
      const seated = await work.tx.execute<{ used: number }[]>(
        `update session_capacities set used = used + 1, updated_at = ? where session_id = ? and used < total returning used`,
        [work.now, claims.sessionId],
      );
      if (seated.length === 0) throw conflict('The session is full.', { reason: 'SESSION_FULL' });
      const rows = await work.tx.execute<Record<string, unknown>[]>(
        `update waitlist_entries e set status = 'ACCEPTED', accepted_at = ?, updated_at = ?
          where e.id = ? and e.status = 'OFFERED' and e.offer_token_id = ? and e.offer_expires_at > ?
          returning ${ENTRY_COLUMNS}`,
        [work.now, work.now, claims.entryId, claims.tokenId, work.now],
      );
      // Lost a race with another use of the token, a leave, a removal or the sweeper: the seat is given back by the rollback.
      if (rows.length === 0) throw offerNoLongerOpen();
      const entry = toEntry(rows[0]);
      recordWaitlistFact(work.tx, 'WaitlistAccepted', entry, work.now);
      work.after.announce(entry.sessionId, entry.eventId, 'accepted');
      return entry;
    });
  }

  /** Turns an offer down; the seat goes to the next person. */
  async decline(token: string, sessionId: string | null | undefined): Promise<WaitlistEntry> {
    const claims = await this.checkOffer(token, sessionId);
    return runWaitlistTx(this.em, this.services, async (work) => {
      const locked = await openExistingSession(work, claims.sessionId);
      const entry = await lockEntry(work.tx, claims.entryId);
      if (!entry || entry.status !== 'OFFERED' || entry.offerTokenId !== claims.tokenId) throw offerNoLongerOpen();
      const [declined] = await work.tx.execute<Record<string, unknown>[]>(
        `update waitlist_entries e set status = 'DECLINED', declined_at = ?, updated_at = ? where e.id = ? returning ${ENTRY_COLUMNS}`,
        [work.now, work.now, entry.id],
      );
      locked.offered -= 1;
      recordWaitlistFact(work.tx, 'WaitlistDeclined', entry, work.now);
      work.after.announce(locked.sessionId, locked.eventId, 'declined');
      await offerFreeSeats(work, locked, 1);
      return toEntry(declined);
    });
  }

  /** The caller's latest entry on the session (whatever its status), or null. */
  async myEntry(sessionId: string): Promise<WaitlistEntry | null> {
    const user = this.requireUser();
    const rows = await this.em.execute<Record<string, unknown>[]>(
      `select ${ENTRY_COLUMNS} from waitlist_entries e where e.session_id = ? and e.user_id = ? order by e.joined_at desc limit 1`,
      [sessionId, user.userId],
    );
    return rows[0] ? toEntry(rows[0]) : null;
  }

  /** The open offer's token, for the person it was made to only. */
  offerTokenOf(entry: WaitlistEntry): string | null {
    if (!this.identity || this.identity.userId !== entry.userId) return null;
    if (entry.status !== 'OFFERED' || !entry.offerTokenId || !entry.offerExpiresAt) return null;
    return this.services.tokens.sign({
      entryId: entry.id,
      sessionId: entry.sessionId,
      tokenId: entry.offerTokenId,
      expiresAt: entry.offerExpiresAt,
    });
  }

  private async insertEntry(
    work: WaitlistTx,
    locked: LockedSession,
    user: Identity,
    tier: PriorityTier,
  ): Promise<WaitlistEntry> {
    try {
      const rows = await work.tx.execute<Record<string, unknown>[]>(
        `insert into waitlist_entries as e (id, session_id, event_id, user_id, priority_tier, status, joined_at, contact_email, contact_name, updated_at)
         values (gen_random_uuid(), ?, ?, ?, ?, 'WAITING', ?, ?, ?, ?)
         returning ${ENTRY_COLUMNS}`,
        [locked.sessionId, locked.eventId, user.userId, tier, work.now, user.email ?? null, user.name ?? null, work.now],
      );
      return toEntry(rows[0]);
    } catch (error) {
      // The partial unique index (one open entry per person and session) caught a concurrent join.
      if (isUniqueViolation(error)) throw conflict('You are already on the waitlist for this session.', { reason: 'ALREADY_JOINED' });
      throw error;
    }
  }

  /**
   * Verifies an offer token for the caller. Tokens that are not ours, were altered, or do not match
   * their entry or the given session are BAD_USER_INPUT on `token`; genuine tokens whose offer is
   * over (expired, used, replaced, withdrawn) are CONFLICT with a `reason`.
   */
  private async checkOffer(token: string, sessionId: string | null | undefined): Promise<OfferClaims> {
    const user = this.requireUser();
    const claims = this.services.tokens.verify(token);
    if (!claims) throw badUserInput('token', 'token is not a valid waitlist offer token: use the token of your offer exactly as it was sent.');
    if (sessionId && claims.sessionId !== sessionId) throw badUserInput('token', 'token is an offer for another session.');
    const rows = await this.em.execute<Record<string, unknown>[]>(`select ${ENTRY_COLUMNS} from waitlist_entries e where e.id = ?`, [
      claims.entryId,
    ]);
    const entry = rows[0] ? toEntry(rows[0]) : null;
    if (!entry || entry.sessionId !== claims.sessionId) throw badUserInput('token', 'token does not match any offer of this session.');
    if (entry.userId !== user.userId) throw forbidden('This offer was made to someone else.');
    if ((await mayQueue(this.access, this.identity, entry.eventId)) !== 'allowed') {
      throw forbidden('Only attendees of the event may take a seat in its sessions.');
    }
    if (entry.offerTokenId !== claims.tokenId) {
      throw conflict('This offer was replaced by a newer one; use the token of the latest offer.', { reason: 'OFFER_REPLACED' });
    }
    if (entry.status === 'ACCEPTED') throw conflict('This offer has already been accepted.', { reason: 'OFFER_USED' });
    const now = Date.now();
    const lapsed = claims.expiresAt.getTime() <= now || (entry.offerExpiresAt !== null && entry.offerExpiresAt.getTime() <= now);
    if (entry.status === 'EXPIRED' || (entry.status === 'OFFERED' && lapsed)) {
      throw conflict('This offer has expired.', { reason: 'OFFER_EXPIRED' });
    }
    if (entry.status !== 'OFFERED') throw offerNoLongerOpen();
    return claims;
  }

  private requireUser(): Identity {
    if (!this.identity) throw unauthenticated();
    return this.identity;
  }
}

const offerNoLongerOpen = () =>
  conflict('This offer is no longer open (it was accepted, declined, withdrawn or has expired).', { reason: 'OFFER_CLOSED' });

function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; cause?: { code?: string } };
  return candidate?.code === '23505' || candidate?.cause?.code === '23505';
}
