import pino, { type Logger } from 'pino';

export type { Logger };

/** Creates the process logger; every component takes a child with its own `component` field. */
export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'monetization-supergraph', ...base },
    redact: { paths: ['req.headers.authorization', 'authorization', '*.password'], remove: true },
  });
}
