/** The waitlist's page size: the server's default, so "page 2" means the same thing to both. */
export const PAGE_SIZE = 25;

/** What the page shows of the whole list, as the server paged it and as live totals moved it since. */
export interface PageWindow {
  /** Entries before this page. */
  offset: number;
  /** Entries on this page. */
  shown: number;
  /** Entries in the whole (filtered) list. */
  total: number;
}

/** "Showing 26–50 of 342" (en dash), "Showing 1 of 1", or that nobody is on the list. */
export function showingText({ offset, shown, total }: PageWindow): string {
  if (total === 0 || shown === 0) return total === 0 ? 'Nobody on this list' : `Showing 0 of ${total.toLocaleString('en-US')}`;
  const first = offset + 1;
  const last = offset + shown;
  const range = first === last ? `${first.toLocaleString('en-US')}` : `${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')}`;
  return `Showing ${range} of ${total.toLocaleString('en-US')}`;
}

/** How many pages `total` entries make at `pageSize` (at least one, as the server counts). */
export function pageCountOf(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** A page number the list has: at least 1, at most the last page; anything unreadable is page 1. */
export function clampPage(page: number, pageCount: number): number {
  if (!Number.isFinite(page)) return 1;
  return Math.min(Math.max(1, Math.trunc(page)), Math.max(1, pageCount));
}

/**
 * The numbered page buttons: always the first and last page, the current one with a neighbour on
 * each side, and a gap where pages are left out (1 … 4 5 6 … 14). At most 7 items, so it fits a phone.
 */
export function pageItems(current: number, pageCount: number): (number | 'gap')[] {
  if (pageCount <= 7) return Array.from({ length: pageCount }, (_, index) => index + 1);
  const page = clampPage(current, pageCount);
  let start = Math.max(2, page - 1);
  let end = Math.min(pageCount - 1, page + 1);
  if (page <= 3) [start, end] = [2, 5];
  if (page >= pageCount - 2) [start, end] = [pageCount - 4, pageCount - 1];
  const middle = Array.from({ length: end - start + 1 }, (_, index) => start + index);
  return [1, ...(start > 2 ? (['gap'] as const) : []), ...middle, ...(end < pageCount - 1 ? (['gap'] as const) : []), pageCount];
}
