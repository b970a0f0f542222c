import type DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createLoader } from '../../kernel/loader';
import { loadFactTotals, type FactTotals } from './facts-repository';
import { parseDateRange, type DateRange } from './range';
import { createScheduleLoaders, type ScheduleLoaders } from './schedules/loaders';

export interface AnalyticsLoaders extends ScheduleLoaders {
  /** Grouped fact totals by `factTotalsKey(eventId, range)`: one statement per distinct period. */
  factTotals: DataLoader<string, FactTotals[]>;
}

/** The loader key of one event's totals over one (already validated) period. */
export const factTotalsKey = (eventId: string, range: DateRange) => JSON.stringify([eventId, range.from, range.to]);

export function createAnalyticsLoaders(em: EntityManager): AnalyticsLoaders {
  return {
    ...createScheduleLoaders(em),
    factTotals: createLoader(async (keys) => {
      const wanted = keys.map((key) => JSON.parse(key) as [string, string, string]);
      const byPeriod = new Map<string, { range: DateRange; eventIds: Set<string> }>();
      for (const [eventId, from, to] of wanted) {
        const period = `${from}/${to}`;
        const entry = byPeriod.get(period) ?? { range: parseDateRange(from, to), eventIds: new Set<string>() };
        entry.eventIds.add(eventId);
        byPeriod.set(period, entry);
      }
      const totals = new Map<string, FactTotals[]>();
      for (const { range, eventIds } of byPeriod.values()) {
        for (const row of await loadFactTotals(em, [...eventIds], range)) {
          const key = factTotalsKey(row.eventId, range);
          totals.set(key, [...(totals.get(key) ?? []), row]);
        }
      }
      return keys.map((key) => totals.get(key) ?? []);
    }),
  };
}
