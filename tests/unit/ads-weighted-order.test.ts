import { weightedOrder } from '../../subgraphs/ads/serving/weighted-order';
import { seededRandom } from '../support/ads';

describe('weighted random choice among the eligible ads', () => {
  const ads = [
    { id: 'a', weight: 1 },
    { id: 'b', weight: 2 },
    { id: 'c', weight: 3 },
    { id: 'd', weight: 4 },
  ];
  const DRAWS = 10_000;
  /** Stated tolerance: each share within 1.5 percentage points of weight ÷ total (about 3 standard deviations). */
  const TOLERANCE = 0.015;

  const shares = (picks: string[]) =>
    Object.fromEntries(ads.map((ad) => [ad.id, picks.filter((id) => id === ad.id).length / picks.length]));

  it.each([1, 42, 20261125])('picks each ad first in proportion to its weight over 10,000 draws (seed %d)', (seed) => {
    const random = seededRandom(seed);
    const firsts = Array.from({ length: DRAWS }, () => weightedOrder(ads, (ad) => ad.weight, random)[0].id);
    const observed = shares(firsts);
    for (const ad of ads) expect(Math.abs(observed[ad.id] - ad.weight / 10)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('fails the tolerance when the weights are ignored, so the check can fail', () => {
    const random = seededRandom(7);
    const uniform = Array.from({ length: DRAWS }, () => ads[Math.floor(random() * ads.length)].id);
    const observed = shares(uniform);
    expect(ads.some((ad) => Math.abs(observed[ad.id] - ad.weight / 10) > TOLERANCE)).toBe(true);
  });

  it('returns every ad exactly once, so the first n are n distinct ads', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 100; i += 1) {
      const order = weightedOrder(ads, (ad) => ad.weight, random).map((ad) => ad.id);
      expect([...order].sort()).toEqual(['a', 'b', 'c', 'd']);
    }
  });

  it('draws the second place by weight among the rest', () => {
    const random = seededRandom(11);
    const pair = [
      { id: 'heavy', weight: 9 },
      { id: 'light', weight: 1 },
      { id: 'other', weight: 10 },
    ];
    // Given "other" first, the second is "heavy" with probability 9 ÷ 10.
    const seconds = Array.from({ length: DRAWS }, () => weightedOrder(pair, (ad) => ad.weight, random))
      .filter((order) => order[0].id === 'other')
      .map((order) => order[1].id);
    const heavyShare = seconds.filter((id) => id === 'heavy').length / seconds.length;
    expect(Math.abs(heavyShare - 0.9)).toBeLessThanOrEqual(0.02);
  });

  it('uses the injected random source: the same seed gives the same order', () => {
    const run = () => {
      const random = seededRandom(5);
      return Array.from({ length: 20 }, () => weightedOrder(ads, (ad) => ad.weight, random)[0].id);
    };
    expect(run()).toEqual(run());
  });

  it('never picks a weightless item before a weighted one, even at the edge of the range', () => {
    const items = [
      { id: 'zero', weight: 0 },
      { id: 'one', weight: 1 },
    ];
    expect(weightedOrder(items, (item) => item.weight, () => 0.999999999)[0].id).toBe('one');
    expect(weightedOrder(items, (item) => item.weight, () => 0)[0].id).toBe('one');
  });
});
