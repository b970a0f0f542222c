/** A source of uniform numbers in [0, 1), like Math.random; tests pass a seeded one. */
export type Random = () => number;

/**
 * Orders items by repeated weighted draws without replacement: the first item is each one with
 * probability weight ÷ total, the second is drawn the same way from the rest, and so on. Taking the
 * first n is a weighted sample of n distinct items. Pure apart from `random`; quadratic in the
 * number of items, which the serving query bounds.
 */
export function weightedOrder<T>(items: readonly T[], weightOf: (item: T) => number, random: Random = Math.random): T[] {
  const remaining = items.map((item) => ({ item, weight: Math.max(0, weightOf(item)) }));
  const ordered: T[] = [];
  while (remaining.length > 0) {
    const total = remaining.reduce((sum, entry) => sum + entry.weight, 0);
    let index = -1;
    if (total > 0) {
      let point = random() * total;
      for (let i = 0; i < remaining.length; i += 1) {
        if (remaining[i].weight === 0) continue;
        index = i;
        point -= remaining[i].weight;
        // Falling off the end through rounding keeps the last weighted item.
        if (point < 0) break;
      }
    } else {
      // Only weightless items are left: they come last, in a uniform random order.
      index = Math.floor(random() * remaining.length);
    }
    ordered.push(remaining[index].item);
    remaining.splice(index, 1);
  }
  return ordered;
}
