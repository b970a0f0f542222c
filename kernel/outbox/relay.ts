import type { MikroORM } from '@mikro-orm/postgresql';
import { pgArray } from '../db/sql';
import type { EventBus } from '../events/bus';
import type { Envelope } from '../events/envelope';
import type { Logger } from '../logger';
import { startPublishSpan } from '../events/message-tracing';

export interface OutboxRelayOptions {
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  pollMs: number;
  batchSize?: number;
  /** Longest wait between two attempts of a failing batch. */
  maxBackoffMs?: number;
}

interface PendingRow {
  id: string;
  topic: string;
  message_key: string;
  payload: Envelope;
  attempts: number;
  trace_context: Record<string, string> | null;
}

/** Advisory lock id that makes one relay pass run at a time across every process. */
const RELAY_LOCK = 7_284_115_001;

/**
 * Publishes outbox rows to the bus and marks them sent. Every replica runs a relay, but a pass holds
 * a transaction-scoped advisory lock, so one publishes at a time and rows of a key keep their order;
 * a crash between publish and mark re-sends them, which consumers absorb by deduping on the envelope id.
 * While the broker is down rows stay unsent and are retried with backoff: nothing is lost.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = true;
  private readonly log: Logger;

  constructor(private readonly options: OutboxRelayOptions) {
    this.log = options.logger.child({ component: 'outbox-relay' });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async dispose(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Runs relay passes until nothing is pending or a pass fails; returns how many were sent. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await this.runOnce();
      total += sent;
      if (sent === 0) return total;
    }
  }

  /** One pass: claims a batch, publishes it, marks it. Returns the number sent (0 on failure). */
  runOnce(): Promise<number> {
    const pass = (this.running ?? Promise.resolve(0)).catch(() => 0).then(() => this.relayBatch());
    this.running = pass;
    return pass;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      const sent = await this.runOnce().catch(() => 0);
      // A full batch suggests more is waiting: go again at once.
      this.schedule(sent >= (this.options.batchSize ?? 100) ? 0 : this.options.pollMs);
    }, delayMs);
    this.timer.unref();
  }

  private async relayBatch(): Promise<number> {
    const em = this.options.orm.em.fork();
    const batchSize = this.options.batchSize ?? 100;
    const maxBackoffMs = this.options.maxBackoffMs ?? 30_000;
    try {
      return await em.transactional(async (tx) => {
        // One relay at a time across replicas, so rows of one key leave in the order they were written.
        const [{ locked }] = await tx.execute<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(?) as locked`, [RELAY_LOCK]);
        if (!locked) return 0;
        // A key whose oldest unsent row waits out a backoff is held back whole: publishing its newer
        // rows first would break the per-key order consumers rely on.
        const rows = await tx.execute<PendingRow[]>(
          `select o.id, o.topic, o.message_key, o.payload, o.attempts, o.trace_context from outbox_messages o
            where o.sent_at is null and o.available_at <= now()
              and not exists (
                select 1 from outbox_messages older
                 where older.sent_at is null and older.topic = o.topic and older.message_key = o.message_key
                   and (older.created_at, older.id) < (o.created_at, o.id) and older.available_at > now())
            order by o.created_at, o.id
            limit ?`,
          [batchSize],
        );
        if (rows.length === 0) return 0;
        const ids = rows.map((row) => row.id);
        const spans = rows.map((row) => startPublishSpan(row.topic, row.trace_context));
        try {
          await this.options.bus.publish(
            rows.map((row, index) => ({ topic: row.topic, key: row.message_key, envelope: row.payload, headers: spans[index].headers })),
          );
          for (const span of spans) span.end();
        } catch (error) {
          for (const span of spans) span.end(error);
          const attempts = Math.max(...rows.map((row) => row.attempts)) + 1;
          const backoffMs = Math.min(maxBackoffMs, 250 * 2 ** Math.min(attempts, 10));
          await tx.execute(
            `update outbox_messages
                set attempts = attempts + 1, last_error = ?, available_at = now() + (? * interval '1 millisecond')
              where id = any(?::uuid[])`,
            [String((error as Error).message ?? error).slice(0, 1000), backoffMs, pgArray(ids)],
          );
          this.log.warn({ err: error, count: rows.length, attempts, backoffMs }, 'publishing outbox messages failed; will retry');
          return 0;
        }
        await tx.execute(`update outbox_messages set sent_at = now() where id = any(?::uuid[])`, [pgArray(ids)]);
        return rows.length;
      });
    } catch (error) {
      this.log.error({ err: error }, 'outbox relay pass failed');
      return 0;
    }
  }
}
