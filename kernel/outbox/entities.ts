import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';
import { nullableTimestamptz, timestamptz } from '../db/columns';
import type { Envelope } from '../events/envelope';

/** A message written in the same transaction as the domain change that caused it. */
export class OutboxMessage {
  id: string;
  createdAt = new Date();
  availableAt = new Date();
  attempts = 0;
  lastError: string | null = null;
  sentAt: Date | null = null;

  constructor(
    public topic: string,
    public messageKey: string,
    public payload: Envelope,
    /** The writing request's W3C trace context, sent along as Kafka headers (null while tracing is off). */
    public traceContext: Record<string, string> | null = null,
  ) {
    this.id = randomUUID();
  }
}

/** A message a consumer has already applied, so a redelivery counts once. */
export class ProcessedMessage {
  processedAt = new Date();
  constructor(
    public consumer: string,
    public messageId: string,
  ) {}
}

export const OutboxMessageSchema = new EntitySchema<OutboxMessage>({
  class: OutboxMessage,
  tableName: 'outbox_messages',
  properties: {
    id: { type: 'uuid', primary: true },
    topic: { type: 'string', columnType: 'text' },
    messageKey: { type: 'string', columnType: 'text' },
    payload: { type: 'json', columnType: 'jsonb' },
    createdAt: timestamptz(),
    availableAt: timestamptz(),
    attempts: { type: 'integer' },
    lastError: { type: 'string', columnType: 'text', nullable: true },
    sentAt: nullableTimestamptz(),
    traceContext: { type: 'json', columnType: 'jsonb', nullable: true },
  },
});

export const ProcessedMessageSchema = new EntitySchema<ProcessedMessage>({
  class: ProcessedMessage,
  tableName: 'processed_messages',
  properties: {
    consumer: { type: 'string', columnType: 'text', primary: true },
    messageId: { type: 'string', columnType: 'text', primary: true },
    processedAt: timestamptz(),
  },
});

export const messagingEntities = [OutboxMessageSchema, ProcessedMessageSchema];
