import { z } from 'zod';
import type { Envelope } from '../../../kernel/events/envelope';
import { MONETIZATION_EVENT_TYPES, type MonetizationEventType } from '../../../kernel/contracts/monetization-events';
import { isUuid } from '../../../kernel/ids';

/** Longest offer title or ad name kept (the column's CHECK constraint says the same). */
export const MAX_LABEL_LENGTH = 300;

/** One monetization fact as analytics stores it: a row of `monetization_events`. */
export interface MonetizationFact {
  id: string;
  type: MonetizationEventType;
  occurredAt: Date;
  eventId: string;
  offerId: string | null;
  adId: string | null;
  sessionId: string | null;
  userId: string | null;
  quantity: number | null;
  amountCents: number | null;
  currency: string | null;
  offerTitle: string | null;
  adName: string | null;
}

const uuid = z.string().refine(isUuid, 'must be a UUID');

/**
 * Longest id kept, in UTF-8 bytes. Platform ids have no length limit of their own and the columns
 * are `text`, so the only bound is PostgreSQL's b-tree entry (about 2,700 bytes) on the primary key
 * and the `(event_id, …)` index. Ids of up to 200 characters used to be all this took: longer
 * ones, which every other subgraph stores, were skipped here (issue 23).
 */
export const MAX_ID_BYTES = 2000;
const id = (what: string) =>
  z.string().refine((value) => Buffer.byteLength(value, 'utf8') <= MAX_ID_BYTES, `${what} must be at most ${MAX_ID_BYTES} bytes`);
const label = z
  .string()
  .transform((value) => value.trim().slice(0, MAX_LABEL_LENGTH))
  .transform((value) => (value === '' ? null : value));

/**
 * The data of `kernel/events/monetization.ts`'s `MonetizationEventData`, checked strictly enough that
 * the insert cannot fail on it: a row that PostgreSQL refuses would be retried forever and hold up
 * every message behind it.
 */
const FactData = z.object({
  eventId: id('eventId').pipe(z.string().trim().min(1)),
  offerId: uuid.nullish(),
  adId: uuid.nullish(),
  sessionId: id('sessionId').nullish(),
  userId: id('userId').nullish(),
  quantity: z.number().int().min(0).max(1_000_000).nullish(),
  amountCents: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish(),
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code')
    .transform((code) => code.toUpperCase())
    .nullish(),
  offerTitle: label.nullish(),
  adName: label.nullish(),
});

export type FactParseResult = { ok: true; fact: MonetizationFact } | { ok: false; reason: string };

/** Reads an envelope of `monetization.events.v1` into a fact, or says why it cannot be one. */
export function parseFact(envelope: Envelope): FactParseResult {
  if (!(MONETIZATION_EVENT_TYPES as readonly string[]).includes(envelope.type)) {
    return { ok: false, reason: `unknown monetization event type ${JSON.stringify(envelope.type)}` };
  }
  if (Buffer.byteLength(envelope.id, 'utf8') > MAX_ID_BYTES) return { ok: false, reason: `the envelope id is longer than ${MAX_ID_BYTES} bytes` };
  const occurredAt = new Date(envelope.occurredAt);
  if (Number.isNaN(occurredAt.getTime())) return { ok: false, reason: 'occurredAt is not a date' };
  const parsed = FactData.safeParse(envelope.data);
  if (!parsed.success) {
    return {
      ok: false,
      reason: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    };
  }
  const data = parsed.data;
  return {
    ok: true,
    fact: {
      id: envelope.id,
      type: envelope.type as MonetizationEventType,
      occurredAt,
      eventId: data.eventId,
      offerId: data.offerId?.toLowerCase() ?? null,
      adId: data.adId?.toLowerCase() ?? null,
      sessionId: data.sessionId ?? null,
      userId: data.userId ?? null,
      quantity: data.quantity ?? null,
      amountCents: data.amountCents ?? null,
      currency: data.currency ?? null,
      offerTitle: data.offerTitle ?? null,
      adName: data.adName ?? null,
    },
  };
}
