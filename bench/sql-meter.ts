/** What the ORM's knex emits per statement: `query` when sent, `query-response`/`query-error` when done. */
type Query = { __knexQueryUid?: string };
type Handler = (first: unknown, second?: unknown) => void;
interface KnexEvents {
  on(event: string, handler: Handler): unknown;
  off(event: string, handler: Handler): unknown;
}

/** Counts SQL statements and adds up their time (from send to response, so including the round trip). */
export interface SqlMeter {
  statements: number;
  ms: number;
  stop(): void;
}

export function meterSql(knex: KnexEvents): SqlMeter {
  const started = new Map<string, number>();
  const meter: SqlMeter = {
    statements: 0,
    ms: 0,
    stop: () => {
      knex.off('query', onQuery);
      knex.off('query-response', onDone);
      knex.off('query-error', onDone);
    },
  };
  const onQuery: Handler = (first) => {
    const query = first as Query;
    meter.statements += 1;
    if (query.__knexQueryUid) started.set(query.__knexQueryUid, performance.now());
  };
  // Both events carry the query second: (response, query) and (error, query).
  const onDone: Handler = (_outcome, second) => {
    const query = second as Query;
    const at = query.__knexQueryUid ? started.get(query.__knexQueryUid) : undefined;
    if (at === undefined) return;
    started.delete(query.__knexQueryUid!);
    meter.ms += performance.now() - at;
  };
  knex.on('query', onQuery);
  knex.on('query-response', onDone);
  knex.on('query-error', onDone);
  return meter;
}
