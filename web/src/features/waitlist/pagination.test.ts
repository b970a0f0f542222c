import { NO_CHANGES, pageShifts } from './live-changes';
import { clampPage, pageCountOf, pageItems, showingText } from './pagination';

describe('waitlist pagination', () => {
  it('says which entries the page shows', () => {
    expect(showingText({ offset: 25, shown: 25, total: 342 })).toBe('Showing 26–50 of 342');
    expect(showingText({ offset: 0, shown: 25, total: 342 })).toBe('Showing 1–25 of 342');
    expect(showingText({ offset: 325, shown: 17, total: 342 })).toBe('Showing 326–342 of 342');
    expect(showingText({ offset: 0, shown: 1, total: 1 })).toBe('Showing 1 of 1');
    expect(showingText({ offset: 0, shown: 0, total: 0 })).toBe('Nobody on this list');
    expect(showingText({ offset: 0, shown: 25, total: 12_400 })).toBe('Showing 1–25 of 12,400');
  });

  it('counts pages of 25 and keeps page numbers inside them', () => {
    expect([pageCountOf(0), pageCountOf(25), pageCountOf(26), pageCountOf(342)]).toEqual([1, 1, 2, 14]);
    expect([clampPage(0, 14), clampPage(15, 14), clampPage(Number.NaN, 14), clampPage(2.7, 14)]).toEqual([1, 14, 1, 2]);
  });

  it('numbers the first, last and neighbouring pages with gaps, at most 7 items', () => {
    expect(pageItems(1, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(pageItems(1, 14)).toEqual([1, 2, 3, 4, 5, 'gap', 14]);
    expect(pageItems(7, 14)).toEqual([1, 'gap', 6, 7, 8, 'gap', 14]);
    expect(pageItems(14, 14)).toEqual([1, 'gap', 10, 11, 12, 13, 14]);
    for (let page = 1; page <= 40; page++) expect(pageItems(page, 40).length).toBeLessThanOrEqual(7);
  });

  it('keeps a full page when people join behind it, and reads it again when rows may move', () => {
    const full = { offset: 0, shown: 25, pageSize: 25, total: 342 };
    const lastWithRoom = { offset: 325, shown: 17, pageSize: 25, total: 342 };
    const lastFull = { offset: 25, shown: 25, pageSize: 25, total: 50 };
    const empty = { offset: 0, shown: 0, pageSize: 25, total: 0 };
    const joins = { ...NO_CHANGES, joined: 5 };
    expect([pageShifts(full, joins), pageShifts(lastFull, joins), pageShifts(lastWithRoom, joins), pageShifts(empty, joins)]).toEqual([
      false,
      false,
      true,
      true,
    ]);
    for (const kind of ['left', 'offered', 'accepted', 'removed', 'declined', 'expired'] as const) {
      expect([kind, pageShifts(full, { ...NO_CHANGES, [kind]: 1 })]).toEqual([kind, true]);
    }
    expect(pageShifts(full, NO_CHANGES)).toBe(false);
  });
});
