import type { MikroORM } from './orm';
import { counter, sampledGauge } from '../observability/metrics';

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

const connections = sampledGauge(
  'db_pool_connections',
  'PostgreSQL connections of the process pool, by state: used, free, pending (callers waiting for one).',
  ['state'] as const,
);
const acquireErrors = counter({
  name: 'db_pool_acquire_errors_total',
  help: 'Connections the pool could not hand out (PostgreSQL unreachable, or the acquire timeout passed).',
});

/** Reads the knex (tarn) pool behind the ORM at every scrape; PGlite has no pool and reports nothing. */
export function observePool(orm: MikroORM): () => void {
  const client = (orm.em.getConnection() as { getKnex?: () => { client?: { pool?: TarnPool & { on?(event: string, listener: () => void): void } } } })
    .getKnex?.()
    .client;
  const pool = client?.pool;
  if (!pool || typeof pool.numUsed !== 'function') return () => undefined;
  pool.on?.('acquireFail', () => acquireErrors.inc());
  return connections.add(() => [
    { labels: { state: 'used' }, value: pool.numUsed() },
    { labels: { state: 'free' }, value: pool.numFree() },
    { labels: { state: 'pending' }, value: pool.numPendingAcquires() },
  ]);
}
