/**
 * `compute` remembered by key, for pure work over a small set of repeating inputs (statement texts,
 * formatted prices). Bounded: past `capacity` keys everything is forgotten at once, which costs a
 * few recomputations and keeps the lookup a plain `Map.get`.
 */
export function memoize<A, V>(capacity: number, keyOf: (input: A) => string, compute: (input: A) => V): (input: A) => V {
  const values = new Map<string, V>();
  return (input) => {
    const key = keyOf(input);
    let value = values.get(key);
    if (value === undefined) {
      value = compute(input);
      if (values.size >= capacity) values.clear();
      values.set(key, value);
    }
    return value;
  };
}
