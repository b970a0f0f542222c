/** Secrets of the bench only: both gateways and the subgraphs share them, nothing else does. */
export const BENCH_JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123456789';
export const BENCH_SUBGRAPH_SECRET = 'bench-subgraph-secret-0123456789abcdef0123';

/** The subgraphs' settings in the bench, wherever they run (this process or a `--before` host). */
export const BENCH_SUBGRAPH_ENV: Record<string, string> = {
  NODE_ENV: 'development',
  KAFKA_BROKERS: '',
  OFFERS_PORT: '0',
  ADS_PORT: '0',
  WAITLIST_PORT: '0',
  ANALYTICS_PORT: '0',
  AUTH_JWT_SECRET: BENCH_JWT_SECRET,
  SUBGRAPH_SECRET: BENCH_SUBGRAPH_SECRET,
  DATABASE_POOL_MAX: '20',
  // Each buyer joins and leaves the watched waitlist once per burst pair, several times a minute.
  RATE_LIMIT_JOINS_PER_MINUTE: '100000',
  SHUTDOWN_DRAIN_MS: '0',
};
