import { trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

export type { Logger };

/** Creates the process logger; every component takes a child with its own `component` field. */
export function createLogger(level: string, base: Record<string, unknown> = {}, destination?: pino.DestinationStream): Logger {
  return pino({
    level,
    base: { service: 'monetization-supergraph', ...base },
    // A line logged inside a traced request names its trace (no-op while tracing is off: no span is recording).
    mixin: () => {
      const span = trace.getActiveSpan()?.spanContext();
      return span ? { trace_id: span.traceId, span_id: span.spanId } : {};
    },
    redact: { paths: ['req.headers.authorization', 'authorization', '*.password'], remove: true },
  }, destination);
}
