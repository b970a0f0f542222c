import type { EntityManager } from '@mikro-orm/postgresql';
import { createEnvelope, type Envelope } from '../../../kernel/events/envelope';
import { OutboxMessage } from '../../../kernel/outbox/entities';

/** The topic the platform's email worker reads scheduled reports from (README, "Messages on Kafka"). */
export const REPORTS_TOPIC = 'analytics.reports.v1';
export const REPORT_READY = 'ReportReady';

/**
 * The largest message the topic must take: a 5 MB file grows by a third in base64, plus the rest of
 * the envelope. The broker's default (1 MB) would refuse it, so the topic is created with this limit.
 */
export const REPORTS_TOPIC_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** `data` of a ReportReady message: what the email worker needs to send the file to its recipients. */
export interface ReportReadyData {
  deliveryId: string;
  scheduleId: string;
  eventId: string;
  eventName: string;
  /** SCHEDULED (the period's run) or MANUAL (`sendReportNow`). */
  trigger: 'SCHEDULED' | 'MANUAL';
  period: {
    /** Local days of `timeZone`, both included. */
    from: string;
    to: string;
    /** The instants of those local midnights; `end` is excluded. */
    start: string;
    end: string;
    timeZone: string;
  };
  recipients: string[];
  filename: string;
  contentType: string;
  byteLength: number;
  /** The file itself, base64 (at most 5 MB before encoding). */
  base64: string;
}

/**
 * Writes ReportReady to the outbox in the caller's transaction, keyed by schedule id (a schedule's
 * reports leave in order). Returns the row's id, so that the delivery can tell when the relay has
 * published it, and the envelope id, on which the email worker dedupes.
 */
export function enqueueReportReady(tx: EntityManager, data: ReportReadyData, occurredAt: Date): { outboxId: string; envelope: Envelope<ReportReadyData> } {
  // The kernel's enqueueMessage does the same but hides the row; the delivery keeps a link to it.
  const envelope = createEnvelope(REPORT_READY, data, occurredAt);
  const message = new OutboxMessage(REPORTS_TOPIC, data.scheduleId, envelope);
  tx.persist(message);
  return { outboxId: message.id, envelope };
}
