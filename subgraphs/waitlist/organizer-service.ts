import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../../kernel/auth/identity';
import { badUserInput, conflict, notFound, unauthenticated } from '../../kernel/errors';
import { isUuid } from '../../kernel/ids';
import type { CapacityView } from './capacity-service';
import type { PriorityTier, WaitlistEntry } from './entities/waitlist-entry';
import { freeSeats, lockEntry, nextWaiting, type LockedSession } from './ledger';
import { offerEntries, offerFreeSeats, openExistingSession, releaseEntry } from './offering';
import type { WaitlistServices } from './services';
import { RESOLVED_TIER_SQL } from './queue/tiers';
import { runWaitlistTx, type WaitlistTx } from './transaction';

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
 * What the event's organizers do on a session's waitlist, for one request: offer seats, remove
 * people, set the capacity and the tiers. Permissions have already checked the caller (see
 * permissions.ts); every change locks the session first, like the attendees' changes.
 */
export class OrganizerService {
  constructor(
    private readonly em: EntityManager,
    private readonly identity: Identity | null,
    private readonly services: WaitlistServices,
  ) {}

  /** An organizer offers a free seat to one waiting person, whatever their place. */
  async sendOffer(entryId: string): Promise<WaitlistEntry> {
    const sessionId = await this.sessionOfEntry(entryId);
    return runWaitlistTx(this.em, this.services, async (work) => {
      const locked = await openExistingSession(work, sessionId);
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
    return runWaitlistTx(this.em, this.services, async (work) => {
      const locked = await openExistingSession(work, sessionId);
      const free = freeSeats(locked);
      if (free === 0) throw noFreeSeat();
      return offerEntries(work, locked, await nextWaiting(work.tx, sessionId, Math.min(count, free)), 'BULK');
    });
  }

  /** An organizer takes someone off the waitlist; a seat or offer they held goes to the next person. */
  async remove(entryId: string): Promise<boolean> {
    const sessionId = await this.sessionOfEntry(entryId);
    return runWaitlistTx(this.em, this.services, async (work) => {
      const locked = await openExistingSession(work, sessionId);
      const entry = await lockEntry(work.tx, entryId);
      if (!entry || !['WAITING', 'OFFERED', 'ACCEPTED'].includes(entry.status)) {
        throw conflict('This person is no longer on the waitlist.', { reason: 'NOT_ON_WAITLIST' });
      }
      await releaseEntry(work, locked, entry, 'REMOVED');
      return true;
    });
  }

  /** Sets the session's seats; new seats are offered to the next people unless `offerNewSeats` is false. */
  async updateCapacity(sessionId: string, total: number, offerNewSeats: boolean): Promise<CapacityView> {
    if (!Number.isInteger(total) || total < 0 || total > MAX_CAPACITY) {
      throw badUserInput('total', `total must be a whole number from 0 to ${MAX_CAPACITY}.`);
    }
    return runWaitlistTx(this.em, this.services, async (work) => {
      const locked = await openExistingSession(work, sessionId);
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
    if (!this.identity) throw unauthenticated();
    const organizer = this.identity;
    if (userId !== null && userId !== undefined && (userId.trim() === '' || userId.length > 200)) {
      throw badUserInput('userId', 'userId must be a platform user id (1 to 200 characters), or null for the whole session.');
    }
    return runWaitlistTx(this.em, this.services, async (work) => {
      const locked = await openExistingSession(work, sessionId);
      // A tier for a user the platform does not know would sit unused, or wait for whoever later
      // takes that id (issue 23).
      if (userId && (await work.tx.execute(`select 1 from platform_users where id = ?`, [userId])).length === 0) {
        throw badUserInput('userId', 'userId must be the id of a user the platform knows.');
      }
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

  private async sessionOfEntry(entryId: string): Promise<string> {
    if (!isUuid(entryId)) throw notFound('The waitlist entry');
    const rows = await this.em.execute<{ session_id: string }[]>(`select session_id from waitlist_entries where id = ?::uuid`, [entryId]);
    if (!rows[0]) throw notFound('The waitlist entry');
    return rows[0].session_id;
  }

}

const noFreeSeat = () =>
  conflict('No seat is free: raise the capacity or wait for a seat or offer to be given back.', { reason: 'NO_FREE_SEAT' });
