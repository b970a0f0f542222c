import type { MikroORM } from '@mikro-orm/postgresql';
import { Kafka, logLevel } from 'kafkajs';
import { parseEnvelope } from '../../kernel/events/envelope';
import { WAITLIST_OFFERS_TOPIC, WAITLIST_OFFER_SENT } from '../../subgraphs/waitlist/notifications';

export interface Inventory {
  total: number;
  sold: number;
  reserved: number;
  completedPurchases: number;
}

export async function inventoryOf(orm: MikroORM, offerId: string): Promise<Inventory> {
  const em = orm.em.fork();
  const [offer] = await em.execute<{ inventory_total: number; sold: number; reserved: number }[]>(
    'select inventory_total, sold, reserved from offers where id = ?',
    [offerId],
  );
  const [purchases] = await em.execute<{ n: string }[]>(
    `select coalesce(sum(quantity), 0) as n from offer_purchases where offer_id = ? and status = 'COMPLETED'`,
    [offerId],
  );
  return { total: offer.inventory_total, sold: offer.sold, reserved: offer.reserved, completedPurchases: Number(purchases.n) };
}

/** Outbox messages not yet published; the soak waits for zero before it counts Kafka. */
export async function unsent(orm: MikroORM): Promise<number> {
  const [row] = await orm.em.fork().execute<{ n: string }[]>('select count(*) as n from outbox_messages where sent_at is null');
  return Number(row.n);
}

/** The entries the database says were sent an offer (one WaitlistOfferSent each in the outbox). */
export async function offeredEntries(orm: MikroORM): Promise<string[]> {
  const rows = await orm.em.fork().execute<{ key: string }[]>(
    `select message_key as key from outbox_messages where topic = ? and payload->>'type' = ?`,
    [WAITLIST_OFFERS_TOPIC, WAITLIST_OFFER_SENT],
  );
  return rows.map((row) => row.key);
}

/**
 * Reads waitlist.offers.v1 from the beginning with a fresh consumer group and counts the
 * WaitlistOfferSent messages of each expected entry: exactly once is a count of 1 for every entry.
 */
export async function deliveriesOnKafka(brokers: string[], expected: string[], timeoutMs = 60_000): Promise<Map<string, number>> {
  const wanted = new Set(expected);
  const counts = new Map<string, number>(expected.map((id) => [id, 0]));
  const consumer = new Kafka({ clientId: 'soak-check', brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `soak-check-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: WAITLIST_OFFERS_TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const envelope = parseEnvelope(message.value);
        const entryId = (envelope?.data as { entryId?: string } | undefined)?.entryId;
        if (envelope?.type !== WAITLIST_OFFER_SENT || !entryId || !wanted.has(entryId)) return;
        counts.set(entryId, (counts.get(entryId) ?? 0) + 1);
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && [...counts.values()].some((count) => count === 0)) await new Promise((r) => setTimeout(r, 500));
    // A duplicate would arrive right behind the original: give it the chance to.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  } finally {
    await consumer.disconnect();
  }
  return counts;
}
