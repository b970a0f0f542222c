import type { EntityManager } from '@mikro-orm/postgresql';
import { LiveVersionKeys } from '../../kernel/live/versions';
import type { WaitlistCounts } from './capacity-service';

export interface VersionedTotals {
  /** The session's live version these totals include (0: no change was ever versioned). */
  version: number;
  stored: { total: number; used: number } | null;
  counts: WaitlistCounts;
}

/**
 * A session's stored capacity, people waiting and open offers, and the live version they include,
 * in one statement: one database snapshot, so the version says exactly which changes the totals
 * count.
 */
export async function readVersionedTotals(em: EntityManager, sessionId: string): Promise<VersionedTotals> {
  const [row] = await em.execute<{ version: string; total: number | null; used: number | null; waiting: string; offered: string }[]>(
    `select coalesce((select version from live_versions where key = ?), 0) as version,
            (select total from session_capacities where session_id = ?) as total,
            (select used from session_capacities where session_id = ?) as used,
            count(*) filter (where status = 'WAITING') as waiting,
            count(*) filter (where status = 'OFFERED') as offered
       from waitlist_entries where session_id = ? and status in ('WAITING', 'OFFERED')`,
    [LiveVersionKeys.waitlistSession(sessionId), sessionId, sessionId, sessionId],
  );
  return {
    version: Number(row.version),
    stored: row.total === null || row.used === null ? null : { total: Number(row.total), used: Number(row.used) },
    counts: { waiting: Number(row.waiting), offered: Number(row.offered) },
  };
}
