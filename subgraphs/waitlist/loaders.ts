import type DataLoader from 'dataloader';
import { createLoader } from '../../kernel/loader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../kernel/db/sql';
import { SessionCapacity } from './entities/session-capacity';

export interface WaitlistLoaders {
  capacityBySession: DataLoader<string, SessionCapacity | null>;
  waitingCountBySession: DataLoader<string, number>;
}

/** Per-request loaders: one SQL statement per batch, results in the order of the keys. */
export function createWaitlistLoaders(em: EntityManager): WaitlistLoaders {
  return {
    capacityBySession: createLoader(async (sessionIds) => {
      const rows = await em.find(SessionCapacity, { sessionId: { $in: [...sessionIds] } });
      const bySession = new Map(rows.map((row) => [row.sessionId, row]));
      return sessionIds.map((id) => bySession.get(id) ?? null);
    }),
    waitingCountBySession: createLoader(async (sessionIds) => {
      const rows = await em.execute<{ session_id: string; waiting: string }[]>(
        `select session_id, count(*) as waiting from waitlist_entries
          where session_id = any(?::text[]) and status in ('WAITING', 'OFFERED')
          group by session_id`,
        [pgArray(sessionIds)],
      );
      const bySession = new Map(rows.map((row) => [row.session_id, Number(row.waiting)]));
      return sessionIds.map((id) => bySession.get(id) ?? 0);
    }),
  };
}
