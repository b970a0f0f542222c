import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../../kernel/auth/identity';
import { badUserInput, conflict, forbidden, notFound, unauthenticated } from '../../kernel/errors';
import { isUuid } from '../../kernel/ids';
import type { EventAccess } from '../../kernel/platform/access';
import { AfterCommit } from './after-commit';
import type { CapacityView } from './capacity-service';
import type { PriorityTier, WaitlistEntry } from './entities/waitlist-entry';
import { ENTRY_COLUMNS, memberOf, toEntry } from './entry-rows';
import { freeSeats, lockEntry, lockOpenEntryOf, nextWaiting, type LockedSession } from './ledger';
import { recordWaitlistFact } from './notifications';
import { offerEntries, offerFreeSeats, openSession, type WaitlistTx } from './offering';
import type { OfferClaims } from './offer-token';
import { mayQueue } from './policy';
import type { WaitlistServices } from './services';
import { RESOLVED_TIER_SQL, resolveTier, TIER_RANK, tierRankSql } from './tiers';

/** Most offers one bulk send may ask for. */
export const MAX_BULK_OFFERS = 100;
/** Largest capacity an organizer may set. */
export const MAX_CAPACITY = 100_000;

export interface TierSetting {
  sessionId: string;
  userId: string | null;
  tier: PriorityTier | null;
}

/**
 * The waitlist's rules, for one request: joining and leaving, offers and their acceptance, the
 * organizer's controls. Every change runs in one transaction that locks the session first (see
 * `lockSession`); the Redis mirror and the live channel are told only after it commits.
 */
export class WaitlistService {
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
    return this.run(async (work) => {
      const locked = await this.open(work, sessionId);
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
          where e.session_id = ? and e.status = 'WAITING' and e.id <> ? and ${tierRankSql('e')} <= ?`,
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
    return this.run(async (work) => {
      const locked = await this.open(work, sessionId);
      const entry = await lockOpenEntryOf(work.tx, sessionId, user.userId);
      if (!entry) throw notFound('Your place on this waitlist');
      await this.release(work, locked, entry, 'LEFT');
      return true;
    });
  }

  /** An organizer takes someone off the waitlist; a seat or offer they held goes to the next person. */
  async remove(entryId: string): Promise<boolean> {
    const sessionId = await this.sessionOfEntry(entryId);
    return this.run(async (work) => {
      const locked = await this.open(work, sessionId);
      const entry = await lockEntry(work.tx, entryId);
      if (!entry || !['WAITING', 'OFFERED', 'ACCEPTED'].includes(entry.status)) {
        throw conflict('This person is no longer on the waitlist.', { reason: 'NOT_ON_WAITLIST' });
      }
      await this.release(work, locked, entry, 'REMOVED');
      return true;
    });
  }

  /** An organizer offers a free seat to one waiting person, whatever their place. */
  async sendOffer(entryId: string): Promise<WaitlistEntry> {
    const sessionId = await this.sessionOfEntry(entryId);
    return this.run(async (work) => {
      const locked = await this.open(work, sessionId);
      const entry = await lockEntry(work.tx, entryId);
      if (entry?.status === 'OFFERED') throw conflict('This person already holds an open offer.', { reason: 'ALREADY_OFFERED' });
      if (entry?.status !== 'WAITING') throw conflict('This person is no longer waiting.', { reason: 'NOT_WAITING' });
      if (freeSeats(locked) === 0) throw noFreeSeat();
      const [offered] = await offerEntries(work, locked, [entryId], 'SINGLE');
      return offered;
    });
  }

  /** An organizer offers free seats to the next `count` people, never more than the seats free. */
  async bulkSendOffers(sessionId: string, count: number): Promise<WaitlistEntry[]> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_BULK_OFFERS) {
      throw badUserInput('count', `count must be a whole number from 1 to ${MAX_BULK_OFFERS}.`);
    }
    return this.run(async (work) => {
      const locked = await this.open(work, sessionId);
      const free = freeSeats(locked);
      if (free === 0) throw noFreeSeat();
      return offerEntries(work, locked, await nextWaiting(work.tx, sessionId, Math.min(count, free)), 'BULK');
    });
  }

  /**
   * Takes the seat an offer promised. The seat is counted by one guarded UPDATE (`used < total`), so
   * concurrent acceptances never exceed the capacity; the entry moves OFFERED → ACCEPTED only with
   * the token's own offer id, so a token works once.
   */
  async accept(token: string, sessionId: string | null | undefined): Promise<WaitlistEntry> {
    const claims = await this.checkOffer(token, sessionId);
    return this.run(async (work) => {
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
    return this.run(async (work) => {
      const locked = await this.open(work, claims.sessionId);
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

  /** Sets the session's seats; new seats are offered to the next people unless `offerNewSeats` is false. */
  async updateCapacity(sessionId: string, total: number, offerNewSeats: boolean): Promise<CapacityView> {
    if (!Number.isInteger(total) || total < 0 || total > MAX_CAPACITY) {
      throw badUserInput('total', `total must be a whole number from 0 to ${MAX_CAPACITY}.`);
    }
    return this.run(async (work) => {
      const locked = await this.open(work, sessionId);
      if (total < locked.used) {
        throw badUserInput('total', `total cannot be lower than the ${locked.used} seats already taken.`);
      }
      const added = total - locked.total;
      await work.tx.execute(`update session_capacities set total = ?, updated_at = ? where session_id = ?`, [
        total,
        work.now,
        sessionId,
      ]);
      locked.total = total;
      work.after.announce(sessionId, locked.eventId, 'capacity');
      if (offerNewSeats && added > 0) await offerFreeSeats(work, locked, added);
      return this.capacityOf(work, locked);
    });
  }

  /**
   * Sets (or with a null tier clears) the tier of one person on the session, or of the whole session
   * when `userId` is null, and moves the people already waiting to the tier they now belong to.
   */
  async setTier(sessionId: string, userId: string | null | undefined, tier: PriorityTier | null | undefined): Promise<TierSetting> {
    const organizer = this.requireUser();
    if (userId !== null && userId !== undefined && (userId.trim() === '' || userId.length > 200)) {
      throw badUserInput('userId', 'userId must be a platform user id (1 to 200 characters), or null for the whole session.');
    }
    return this.run(async (work) => {
      const locked = await this.open(work, sessionId);
      if (userId) {
        await (tier
          ? work.tx.execute(
              `insert into waitlist_tier_overrides (session_id, user_id, tier, set_by, updated_at) values (?, ?, ?, ?, ?)
               on conflict (session_id, user_id) do update set tier = excluded.tier, set_by = excluded.set_by, updated_at = excluded.updated_at`,
              [sessionId, userId, tier, organizer.userId, work.now],
            )
          : work.tx.execute(`delete from waitlist_tier_overrides where session_id = ? and user_id = ?`, [sessionId, userId]));
      } else {
        await work.tx.execute(`update session_capacities set default_tier = ?, updated_at = ? where session_id = ?`, [
          tier ?? null,
          work.now,
          sessionId,
        ]);
      }
      const moved = await work.tx.execute<{ id: string }[]>(
        `update waitlist_entries e set priority_tier = ${RESOLVED_TIER_SQL}, updated_at = ?
          where e.session_id = ? ${userId ? 'and e.user_id = ?' : ''} and e.status in ('WAITING', 'OFFERED')
            and e.priority_tier is distinct from ${RESOLVED_TIER_SQL}
          returning e.id`,
        userId ? [work.now, sessionId, userId] : [work.now, sessionId],
      );
      // The old tier of each moved entry is not returned, so the session's mirror is rebuilt instead of patched.
      if (moved.length > 0) work.after.invalidate(locked.sessionId);
      return { sessionId, userId: userId ?? null, tier: tier ?? null };
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

  /** Runs `work` in one transaction, then mirrors and announces what it changed. */
  private async run<T>(work: (tx: WaitlistTx) => Promise<T>): Promise<T> {
    const after = new AfterCommit();
    const result = await this.em.fork().transactional((tx) => work({ tx, after, services: this.services, now: new Date() }));
    await after.run(this.services);
    return result;
  }

  private async open(work: WaitlistTx, sessionId: string): Promise<LockedSession> {
    const locked = await openSession(work, sessionId);
    if (!locked) throw notFound('The session');
    return locked;
  }

  /** Ends an entry (LEFT or REMOVED); a seat or open offer it held is offered to the next person. */
  private async release(work: WaitlistTx, locked: LockedSession, entry: WaitlistEntry, status: 'LEFT' | 'REMOVED'): Promise<void> {
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

  private async capacityOf(work: WaitlistTx, locked: LockedSession): Promise<CapacityView> {
    const [{ waiting }] = await work.tx.execute<{ waiting: string }[]>(
      `select count(*) as waiting from waitlist_entries where session_id = ? and status = 'WAITING'`,
      [locked.sessionId],
    );
    return {
      sessionId: locked.sessionId,
      total: locked.total,
      used: locked.used,
      available: Math.max(0, locked.total - locked.used),
      waiting: Number(waiting) + locked.offered,
      offered: locked.offered,
      offerable: freeSeats(locked),
    };
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

  private async sessionOfEntry(entryId: string): Promise<string> {
    if (!isUuid(entryId)) throw notFound('The waitlist entry');
    const rows = await this.em.execute<{ session_id: string }[]>(`select session_id from waitlist_entries where id = ?::uuid`, [entryId]);
    if (!rows[0]) throw notFound('The waitlist entry');
    return rows[0].session_id;
  }

  private requireUser(): Identity {
    if (!this.identity) throw unauthenticated();
    return this.identity;
  }
}

const noFreeSeat = () =>
  conflict('No seat is free: raise the capacity or wait for a seat or offer to be given back.', { reason: 'NO_FREE_SEAT' });

const offerNoLongerOpen = () =>
  conflict('This offer is no longer open (it was accepted, declined, withdrawn or has expired).', { reason: 'OFFER_CLOSED' });

function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; cause?: { code?: string } };
  return candidate?.code === '23505' || candidate?.cause?.code === '23505';
}
