import { randomUUID } from 'node:crypto';

/** The JSON envelope every Kafka message carries (contract "Messages on Kafka"). */
export interface Envelope<T = unknown> {
  /** Unique per message; consumers dedupe on it. */
  id: string;
  type: string;
  occurredAt: string;
  data: T;
}

/** A message ready to publish: the topic, the aggregate key that orders it, and its envelope. */
export interface OutgoingMessage<T = unknown> {
  topic: string;
  key: string;
  envelope: Envelope<T>;
  /** Trace context headers (`traceparent`, `tracestate`) sent beside the envelope, never inside it. */
  headers?: Record<string, string>;
}

export interface IncomingMessage<T = unknown> {
  topic: string;
  key: string | null;
  envelope: Envelope<T>;
  headers?: Record<string, string>;
}

export function createEnvelope<T>(type: string, data: T, occurredAt: Date = new Date()): Envelope<T> {
  return { id: randomUUID(), type, occurredAt: occurredAt.toISOString(), data };
}

/** Parses a message value into an envelope, or returns null when it is not one. */
export function parseEnvelope(value: Buffer | string | null): Envelope | null {
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value.toString()) as Partial<Envelope>;
    if (typeof parsed.id !== 'string' || parsed.id === '' || typeof parsed.type !== 'string') return null;
    if (typeof parsed.occurredAt !== 'string' || typeof parsed.data !== 'object' || parsed.data === null) return null;
    return parsed as Envelope;
  } catch {
    return null;
  }
}
