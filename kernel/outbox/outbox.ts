import type { EntityManager } from '@mikro-orm/postgresql';
import { createEnvelope, type Envelope } from '../events/envelope';
import { currentTraceHeaders } from '../observability/trace-context';
import { OutboxMessage } from './entities';

export interface OutboxEntry<T> {
  topic: string;
  /** The aggregate id: Kafka orders messages per key. */
  key: string;
  type: string;
  data: T;
  occurredAt?: Date;
}

/**
 * Adds a message to the outbox in the caller's unit of work. It is written by the same flush, and so
 * the same transaction, as the domain change: both commit or neither does.
 */
export function enqueueMessage<T>(em: EntityManager, entry: OutboxEntry<T>): Envelope<T> {
  const envelope = createEnvelope(entry.type, entry.data, entry.occurredAt);
  em.persist(new OutboxMessage(entry.topic, entry.key, envelope, currentTraceHeaders() ?? null));
  return envelope;
}
