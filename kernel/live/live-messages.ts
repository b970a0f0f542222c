import { z } from 'zod';
import type { MonetizationActivity, OfferInventoryChange, WaitlistChange } from './live-events';

// Readers of what other processes publish on the live channels (shapes in live-events.ts). A
// message that does not fit is dropped rather than trusted: anything reaching Redis can publish.

const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)));

const waitlistChangeKind = z.enum(['joined', 'left', 'offered', 'accepted', 'removed', 'declined', 'expired', 'capacity']);

// `kind` (one change per message) is what senders before issue 15 published.
const WaitlistChangeMessage = z
  .object({
    sessionId: z.string().min(1),
    eventId: z.string().min(1),
    kinds: z.array(waitlistChangeKind).min(1).max(1000).optional(),
    kind: waitlistChangeKind.optional(),
    at: isoTime,
    version: z.number().int().positive().optional(),
  })
  .refine((message) => message.kinds !== undefined || message.kind !== undefined);

const OfferInventoryChangeMessage = z.object({
  eventId: z.string().min(1),
  offerId: z.string().min(1),
  at: isoTime,
});

const MonetizationActivityMessage = z.object({
  eventId: z.string().min(1),
  kind: z.string().min(1).max(100),
  at: isoTime,
  offerId: z.string().min(1).optional(),
  adId: z.string().min(1).optional(),
  amountCents: z.number().int().optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
});

/** A WaitlistChange of `sessionId`, or undefined. */
export function readWaitlistChange(message: unknown, sessionId: string): WaitlistChange | undefined {
  const parsed = WaitlistChangeMessage.safeParse(message);
  if (!parsed.success || parsed.data.sessionId !== sessionId) return undefined;
  const { kinds, kind, version, ...rest } = parsed.data;
  return { ...rest, kinds: kinds ?? [kind!], ...(version !== undefined ? { version } : {}) };
}

/** An OfferInventoryChange of `eventId`, or undefined. */
export function readOfferInventoryChange(message: unknown, eventId: string): OfferInventoryChange | undefined {
  const parsed = OfferInventoryChangeMessage.safeParse(message);
  return parsed.success && parsed.data.eventId === eventId ? parsed.data : undefined;
}

/** A MonetizationActivity of `eventId`, or undefined. */
export function readMonetizationActivity(message: unknown, eventId: string): MonetizationActivity | undefined {
  const parsed = MonetizationActivityMessage.safeParse(message);
  return parsed.success && parsed.data.eventId === eventId ? parsed.data : undefined;
}
