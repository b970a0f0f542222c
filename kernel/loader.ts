import DataLoader from 'dataloader';

/**
 * A per-request DataLoader that dispatches its batch after the current I/O turn rather than after
 * the current microtask queue: keys requested from resolvers at different promise depths (behind
 * an access check, say) still share one batch, and so one SQL statement.
 */
export function createLoader<K, V>(batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
  return new DataLoader<K, V>(batch, { batchScheduleFn: (dispatch) => setImmediate(dispatch) });
}
