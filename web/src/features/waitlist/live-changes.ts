/** What one `waitlistUpdated` message says changed during its coalescing window. */
export interface WaitlistChangeCounts {
  joined: number;
  left: number;
  offered: number;
  accepted: number;
  removed: number;
  declined: number;
  expired: number;
}

export const NO_CHANGES: WaitlistChangeCounts = { joined: 0, left: 0, offered: 0, accepted: 0, removed: 0, declined: 0, expired: 0 };

/** Just the counts of a message (which also carries totals and names). */
export function countsOf(message: WaitlistChangeCounts): WaitlistChangeCounts {
  const { joined, left, offered, accepted, removed, declined, expired } = message;
  return { joined, left, offered, accepted, removed, declined, expired };
}

export function addChanges(a: WaitlistChangeCounts, b: WaitlistChangeCounts): WaitlistChangeCounts {
  return {
    joined: a.joined + b.joined,
    left: a.left + b.left,
    offered: a.offered + b.offered,
    accepted: a.accepted + b.accepted,
    removed: a.removed + b.removed,
    declined: a.declined + b.declined,
    expired: a.expired + b.expired,
  };
}

export function changeCount(changes: WaitlistChangeCounts): number {
  return Object.values(countsOf(changes)).reduce((sum, value) => sum + value, 0);
}

const plural = (count: number, one: string, many: string) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/** "Waitlist updated: 3 new entries", or every kind of change that happened, most common first. */
export function summaryText(changes: WaitlistChangeCounts): string {
  const parts = [
    changes.joined && plural(changes.joined, 'new entry', 'new entries'),
    changes.left && `${changes.left.toLocaleString('en-US')} left`,
    changes.removed && `${changes.removed.toLocaleString('en-US')} removed`,
    changes.offered && plural(changes.offered, 'offer sent', 'offers sent'),
    changes.accepted && plural(changes.accepted, 'offer accepted', 'offers accepted'),
    changes.declined && plural(changes.declined, 'offer declined', 'offers declined'),
    changes.expired && plural(changes.expired, 'offer expired', 'offers expired'),
  ].filter((part): part is string => Boolean(part));
  return `Waitlist updated: ${parts.length ? parts.join(', ') : 'no changes'}`;
}

/** Where the page stands in the list it shows, for deciding whether a change moves its rows. */
export interface ShownPage {
  offset: number;
  shown: number;
  pageSize: number;
  /** The list's length when the page was read (or last moved by a live total). */
  total: number;
}

/**
 * Whether the rows of the shown page may differ after these changes, so that it must be read
 * again. People leaving the line (left, removed, accepted, declined, expired) move everyone behind
 * them up, and an offer changes a row's status, so those always count. A joiner takes the end of
 * their tier's line: the message carries counts, not tiers, so joins are taken to land at the end
 * of the list, and move the page only when its end is on screen with room for them (the last page
 * not yet full, or an empty list). A VIP or PREMIUM joiner ahead of the page appears on its next
 * read (the next page change, a refresh, or any other kind of change).
 */
export function pageShifts(page: ShownPage, changes: WaitlistChangeCounts): boolean {
  const { joined, ...others } = countsOf(changes);
  if (Object.values(others).some((count) => count > 0)) return true;
  if (joined === 0) return false;
  const endOnScreen = page.offset + page.shown >= page.total;
  return endOnScreen && page.shown < page.pageSize;
}
