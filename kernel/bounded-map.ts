/**
 * Sets `key` in `map` as its newest entry, the oldest entry going first when the map already holds
 * `capacity` keys: the eviction of the process's bounded caches (a Map iterates in insertion order,
 * so the oldest is its first key).
 */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, capacity: number): void {
  map.delete(key);
  if (map.size >= capacity) map.delete(map.keys().next().value!);
  map.set(key, value);
}
