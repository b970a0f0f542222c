import type DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../kernel/db/sql';
import { isUuid } from '../../kernel/ids';
import { createLoader } from '../../kernel/loader';
import type { SessionRow } from '../../kernel/platform/access';
import type { WaitlistCounts } from './capacity-service';
import type { WaitlistEntry } from './entities/waitlist-entry';
import { SessionCapacity } from './entities/session-capacity';
import { ENTRY_COLUMNS, toEntry } from './entry-rows';
import type { WaitlistUserView } from './listing';
import type { WaitlistServices } from './services';
import { positionSql } from './queue/position';

export interface WaitlistLoaders {
  capacityBySession: DataLoader<string, SessionCapacity | null>;
  countsBySession: DataLoader<string, WaitlistCounts>;
  entryById: DataLoader<string, WaitlistEntry | null>;
  /** Name and email from the platform read model, else from the person's sign-in when they joined. */
  userById: DataLoader<string, WaitlistUserView>;
  /** 1-based place of a WAITING entry; null for any other status. */
  positionOf: DataLoader<WaitlistEntry, number | null>;
  /** An event's sessions by start time (the organizer's session picker). */
  sessionsByEvent: DataLoader<string, SessionRow[]>;
}

/** Per-request loaders: one SQL statement (or Redis round trip) per batch, results in the order of the keys. */
/** Stored capacities of sessions, in the order of the ids (null where none is stored). */
export async function fetchCapacities(em: EntityManager, sessionIds: readonly string[]): Promise<(SessionCapacity | null)[]> {
  const rows = await em.find(SessionCapacity, { sessionId: { $in: [...sessionIds] } });
  const bySession = new Map(rows.map((row) => [row.sessionId, row]));
  return sessionIds.map((id) => bySession.get(id) ?? null);
}

/** People waiting and holding open offers per session, in the order of the ids. */
export async function fetchCounts(em: EntityManager, sessionIds: readonly string[]): Promise<WaitlistCounts[]> {
  const rows = await em.execute<{ session_id: string; waiting: string; offered: string }[]>(
    `select session_id, count(*) filter (where status = 'WAITING') as waiting, count(*) filter (where status = 'OFFERED') as offered
       from waitlist_entries where session_id = any(?::text[]) and status in ('WAITING', 'OFFERED')
      group by session_id`,
    [pgArray(sessionIds)],
  );
  const bySession = new Map(rows.map((row) => [row.session_id, { waiting: Number(row.waiting), offered: Number(row.offered) }]));
  return sessionIds.map((id) => bySession.get(id) ?? { waiting: 0, offered: 0 });
}

export function createWaitlistLoaders(em: EntityManager, services: WaitlistServices): WaitlistLoaders {
  return {
    capacityBySession: createLoader((sessionIds) => fetchCapacities(em, sessionIds)),
    countsBySession: createLoader((sessionIds) => fetchCounts(em, sessionIds)),
    entryById: createLoader(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length
        ? await em.execute<Record<string, unknown>[]>(`select ${ENTRY_COLUMNS} from waitlist_entries e where e.id = any(?::uuid[])`, [
            pgArray(valid),
          ])
        : [];
      const byId = new Map(rows.map((row) => [row.id as string, toEntry(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    userById: createLoader(async (userIds) => {
      const rows = await em.execute<{ id: string; name: string; email: string }[]>(
        `select id, name, email from platform_users where id = any(?::text[])`,
        [pgArray(userIds)],
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      return userIds.map((id) => ({ id, name: byId.get(id)?.name ?? null, email: byId.get(id)?.email ?? null }));
    }),
    positionOf: createPositionLoader(em, services),
    sessionsByEvent: createLoader(async (eventIds) => {
      const rows = await em.execute<{ id: string; event_id: string; title: string; capacity: number; starts_at: string }[]>(
        `select id, event_id, title, capacity, starts_at from platform_sessions where event_id = any(?::text[]) order by starts_at, id`,
        [pgArray(eventIds)],
      );
      const byEvent = new Map<string, SessionRow[]>(eventIds.map((id) => [id, []]));
      for (const row of rows) {
        byEvent.get(row.event_id)?.push({
          id: row.id,
          eventId: row.event_id,
          title: row.title,
          capacity: Number(row.capacity),
          startsAt: new Date(row.starts_at),
        });
      }
      return eventIds.map((id) => byEvent.get(id) ?? []);
    }),
  };
}

/** Positions from the Redis mirror; from PostgreSQL when Redis cannot answer, so a Redis outage degrades speed, not answers. */
function createPositionLoader(em: EntityManager, services: WaitlistServices): DataLoader<WaitlistEntry, number | null> {
  return createLoader<WaitlistEntry, number | null>(async (entries) => {
    const waiting = entries.filter((entry) => entry.status === 'WAITING');
    if (waiting.length === 0) return entries.map(() => null);
    let positions: Map<string, number | null>;
    try {
      positions = await services.queue.positions(
        waiting.map((entry) => ({ entryId: entry.id, sessionId: entry.sessionId, tier: entry.priorityTier })),
      );
    } catch (error) {
      services.logger.warn({ err: error }, 'waitlist positions read from PostgreSQL: Redis did not answer');
      positions = await positionsFromDatabase(em, waiting.map((entry) => entry.id));
    }
    return entries.map((entry) => (entry.status === 'WAITING' ? (positions.get(entry.id) ?? null) : null));
  });
}

async function positionsFromDatabase(em: EntityManager, entryIds: string[]): Promise<Map<string, number | null>> {
  const rows = await em.execute<{ id: string; position: string }[]>(
    `select e.id, ${positionSql('e')} as position
       from waitlist_entries e where e.id = any(?::uuid[]) and e.status = 'WAITING'`,
    [pgArray(entryIds)],
  );
  return new Map(rows.map((row) => [row.id, Number(row.position)]));
}
