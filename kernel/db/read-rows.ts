import type { EntityManager } from '@mikro-orm/postgresql';
import { memoize } from '../memo';

/** What this module uses of the ORM's knex and of its pooled `pg` connections. */
interface PooledConnection {
  query(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}
interface KnexClient {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<unknown>;
  /** `?` placeholders as PostgreSQL's `$1`, `$2`, ... (`\\?` stays a question mark). */
  positionBindings(sql: string): string;
}

let statementIds = 0;
/** Each statement's text with numbered placeholders (`positionBindings` is the same for every pg client of knex). */
const positionedText = memoize(
  1_000,
  ({ sql }: { client: KnexClient; sql: string }) => sql,
  ({ client, sql }) => client.positionBindings(sql),
);

/**
 * Rows of a read-only statement (`?` placeholders), sent on a connection of the ORM's own pool
 * with its values as parameters, without the ORM's per-statement pipeline: `em.execute` formats
 * every value into the SQL text, wraps the call for its logger and goes through knex's query
 * runner, which cost about 0.1 ms of CPU per statement, as much as the `pg` client's own work
 * (issue 19, `bench/subgraph-layers.ts`). Inside a transaction the statement goes through the
 * transaction (`em.execute`), so it sees the transaction's writes. Either way knex announces it
 * (`query`, then `query-response` or `query-error`), so whoever counts or times statements sees
 * it as any other.
 */
export async function readRows<T>(em: EntityManager, sql: string, values: readonly unknown[]): Promise<T[]> {
  if (em.getContext(false).getTransactionContext()) return em.execute<T[]>(sql, [...values]);
  const knex = em.getConnection().getKnex();
  const client = knex.client as unknown as KnexClient;
  const text = positionedText({ client, sql });
  const query = { sql: text, bindings: values, __knexQueryUid: `read-rows-${(statementIds += 1)}` };
  knex.emit('query', query);
  const connection = await client.acquireConnection();
  try {
    const { rows } = await connection.query(text, [...values]);
    knex.emit('query-response', rows, query);
    return rows as T[];
  } catch (error) {
    knex.emit('query-error', error, query);
    throw error;
  } finally {
    await client.releaseConnection(connection);
  }
}
