import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Applies a message's effect at most once per consumer: the dedupe row and the effect commit in one
 * transaction, so a redelivered or replayed message (same envelope id) changes nothing.
 * Returns false when the message had already been applied.
 */
export async function applyOnce(
  em: EntityManager,
  consumer: string,
  messageId: string,
  apply: (tx: EntityManager) => Promise<void>,
): Promise<boolean> {
  return em.fork().transactional(async (tx) => {
    const inserted = await tx.execute<{ message_id: string }[]>(
      `insert into processed_messages (consumer, message_id) values (?, ?)
       on conflict do nothing returning message_id`,
      [consumer, messageId],
    );
    if (inserted.length === 0) return false;
    await apply(tx);
    return true;
  });
}
