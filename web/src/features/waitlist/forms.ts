/** The server's bounds (organizer-service.ts), checked here first so a wrong number is never sent. */
export const MAX_CAPACITY = 100_000;
export const MAX_BULK_OFFERS = 100;

const wholeNumber = (text: string): number | null => (/^\s*\d+\s*$/.test(text) ? Number(text) : null);

/** Why `text` cannot be the session's seat count, or null when it can. */
export function capacityError(text: string, used: number): string | null {
  const total = wholeNumber(text);
  if (total === null) return 'Enter a whole number of seats.';
  if (total > MAX_CAPACITY) return `At most ${MAX_CAPACITY.toLocaleString('en-US')} seats.`;
  if (total < used) return `At least ${used.toLocaleString('en-US')}: that many seats are already taken.`;
  return null;
}

/** Why `text` cannot be the number of offers to send now, or null when it can. */
export function bulkCountError(text: string, offerable: number): string | null {
  const count = wholeNumber(text);
  const most = Math.min(MAX_BULK_OFFERS, offerable);
  if (count === null) return 'Enter a whole number of people.';
  if (count < 1) return 'Send at least 1 offer.';
  if (count > most) return most === offerable ? `Only ${most} ${most === 1 ? 'seat is' : 'seats are'} free for offers now.` : `At most ${most} at a time.`;
  return null;
}
