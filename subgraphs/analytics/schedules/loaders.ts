import type DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../../kernel/db/sql';
import { isUuid } from '../../../kernel/ids';
import { createLoader } from '../../../kernel/loader';

/** Which event a schedule or a delivery belongs to: what the access rules of their operations ask. */
export interface ScheduleLoaders {
  /** Event id by schedule id; null for an unknown (or malformed) id. */
  scheduleEventIds: DataLoader<string, string | null>;
  /** Event id by delivery id. */
  deliveryEventIds: DataLoader<string, string | null>;
}

function eventIdsOf(em: EntityManager, table: 'report_schedules' | 'report_deliveries') {
  return createLoader<string, string | null>(async (ids) => {
    const wanted = ids.filter(isUuid);
    const rows =
      wanted.length === 0
        ? []
        : await em.execute<{ id: string; event_id: string }[]>(`select id, event_id from ${table} where id = any(?::uuid[])`, [pgArray(wanted)]);
    const byId = new Map(rows.map((row) => [row.id, row.event_id]));
    return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
  });
}

export function createScheduleLoaders(em: EntityManager): ScheduleLoaders {
  return { scheduleEventIds: eventIdsOf(em, 'report_schedules'), deliveryEventIds: eventIdsOf(em, 'report_deliveries') };
}
