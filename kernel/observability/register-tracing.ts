import path from 'node:path';
import { ConfigError } from '../config';
import { startTracing } from './tracing';

/** `service.name` by entry point, unless OTEL_SERVICE_NAME says otherwise. */
function serviceName(): string {
  const entry = (process.argv[1] ?? '').split(path.sep).join('/');
  if (/gateway\/main\.[jt]s$/.test(entry)) return 'gateway';
  if (/subgraphs\/main\.[jt]s$/.test(entry)) return `subgraph-${process.argv[2] ?? process.env.SUBGRAPH ?? 'unknown'}`;
  return 'supergraph';
}

/**
 * Imported first by every entry point (main.ts, gateway/main.ts, subgraphs/main.ts), before the
 * modules that load `pg` and `ioredis`, so their instrumentations can wrap them. Off unless
 * OTEL_TRACES_EXPORTER or an OTLP endpoint is set.
 */
export const stopTracing = (() => {
  try {
    return startTracing({ serviceName: serviceName() });
  } catch (error) {
    // As a bad variable read by kernel/config.ts: one sentence naming it, no stack.
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
})();
