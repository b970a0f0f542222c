import type { MikroORM } from '@mikro-orm/postgresql';
import { sampledGauge } from '../observability/metrics';

const backlog = sampledGauge('outbox_backlog_messages', 'Outbox messages written but not yet published to the bus (all processes share the table).');
const oldest = sampledGauge('outbox_oldest_unsent_age_seconds', 'Age of the oldest outbox message not yet published; 0 when none waits.');

/**
 * Reads the outbox backlog at every scrape (one indexed query on the pending rows), so a relay that
 * stopped or a broker that refuses shows as a growing age, whoever is at fault.
 */
export function observeOutboxBacklog(orm: MikroORM): () => void {
  let pending: Promise<{ count: number; age: number }> | undefined;
  // Both gauges of one scrape share the one query.
  const read = () => {
    pending ??= orm.em
      .fork()
      .execute<{ count: string; age: string | null }[]>(
        `select count(*) as count, extract(epoch from now() - min(created_at)) as age from outbox_messages where sent_at is null`,
      )
      .then(([row]) => ({ count: Number(row?.count ?? 0), age: Number(row?.age ?? 0) }))
      .finally(() => setImmediate(() => (pending = undefined)));
    return pending;
  };
  const removeBacklog = backlog.add(async () => [{ value: (await read()).count }]);
  const removeOldest = oldest.add(async () => [{ value: (await read()).age }]);
  return () => {
    removeBacklog();
    removeOldest();
  };
}
