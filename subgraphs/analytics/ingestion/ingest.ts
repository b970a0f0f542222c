import type { EntityManager } from '@mikro-orm/postgresql';
import type { IncomingMessage } from '../../../kernel/events/envelope';
import { LiveChannels, type MonetizationActivity } from '../../../kernel/contracts/live-channels';
import { type LiveEventPublisher } from '../../../kernel/live/live-publisher';
import type { Logger } from '../../../kernel/logger';
import { parseFact, type MonetizationFact } from './fact';
import { storeFact } from './store-fact';

export type IngestOutcome = 'stored' | 'duplicate' | 'skipped';

/** What organizers' live dashboards receive about a newly stored fact. */
export function activityOf(fact: MonetizationFact): MonetizationActivity {
  return {
    eventId: fact.eventId,
    kind: fact.type,
    at: fact.occurredAt.toISOString(),
    ...(fact.offerId ? { offerId: fact.offerId } : {}),
    ...(fact.adId ? { adId: fact.adId } : {}),
    ...(fact.amountCents !== null ? { amountCents: fact.amountCents } : {}),
    ...(fact.currency ? { currency: fact.currency } : {}),
  };
}

/**
 * Ingests one message of `monetization.events.v1`. A message that can never be stored (unknown type,
 * malformed data) is skipped with a warning; a database error propagates, so the bus retries the
 * message instead of committing past it. The live activity goes out only for a first delivery, after
 * the row is written: a duplicate must not show up twice on a dashboard either.
 */
export async function ingestMonetizationMessage(
  em: EntityManager,
  live: LiveEventPublisher,
  logger: Logger,
  message: IncomingMessage,
): Promise<IngestOutcome> {
  const parsed = parseFact(message.envelope);
  if (!parsed.ok) {
    logger.warn(
      { id: message.envelope.id, type: message.envelope.type, reason: parsed.reason },
      'skipping a malformed monetization message',
    );
    return 'skipped';
  }
  if (!(await storeFact(em, parsed.fact))) return 'duplicate';
  await live.publish(LiveChannels.monetizationActivity(parsed.fact.eventId), activityOf(parsed.fact));
  return 'stored';
}
