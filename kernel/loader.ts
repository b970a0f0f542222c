import DataLoader from 'dataloader';
import type { EntityName, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from './ids';

/**
 * A per-request DataLoader that dispatches its batch after the current I/O turn rather than after
 * the current microtask queue: keys requested from resolvers at different promise depths (behind
 * an access check, say) still share one batch, and so one SQL statement.
 */
export function createLoader<K, V>(batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
  return new DataLoader<K, V>(batch, { batchScheduleFn: (dispatch) => setImmediate(dispatch) });
}

/**
 * A per-request loader of entities by their uuid id: one `find` per batch, results in the order
 * of the keys, null for a miss (and for a key that is not a uuid, which no row can have).
 */
export function createByIdLoader<T extends { id: string }>(em: EntityManager, entity: EntityName<T>): DataLoader<string, T | null> {
  return createLoader(async (ids) => {
    const valid = ids.filter(isUuid);
    // MikroORM cannot see that `id` is a property of every T here; the constraint guarantees it.
    const filter = { id: { $in: valid } } as unknown as FilterQuery<T>;
    const rows = valid.length > 0 ? await em.find(entity, filter) : [];
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** `items` grouped under each of `keys` (in the order of the keys, an empty list for a key none has), each group in the items' order. */
export function groupByKeys<T>(keys: readonly string[], items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}
