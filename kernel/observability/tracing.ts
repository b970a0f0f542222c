import { trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ConfigError } from '../config';

/** The name spans and instrumentations of this code are recorded under. */
export const TRACER_NAME = 'monetization-supergraph';

export const tracer = () => trace.getTracer(TRACER_NAME);

export interface TracingSettings {
  enabled: boolean;
  exporter: 'otlp' | 'console' | 'none';
}

const EXPORTERS = new Set(['otlp', 'console', 'none']);

/**
 * Tracing is off unless the standard OpenTelemetry variables ask for it: OTEL_TRACES_EXPORTER
 * (`otlp` or `console`), or an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). OTEL_SDK_DISABLED=true turns it off whatever else is set.
 * The exporter, sampler and resource read the rest of OTEL_* themselves.
 */
export function tracingSettings(env: NodeJS.ProcessEnv = process.env): TracingSettings {
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter && (exporter.includes(',') || !EXPORTERS.has(exporter))) {
    throw new ConfigError(`Environment variable OTEL_TRACES_EXPORTER is invalid (got ${JSON.stringify(env.OTEL_TRACES_EXPORTER)}): must be otlp, console or none.`);
  }
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' || exporter === 'none') return { enabled: false, exporter: 'none' };
  if (exporter) return { enabled: true, exporter: exporter as 'otlp' | 'console' };
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return endpoint ? { enabled: true, exporter: 'otlp' } : { enabled: false, exporter: 'none' };
}

let active = false;

/** True once {@link startTracing} registered a provider in this process. */
export function tracingActive(): boolean {
  return active;
}

export interface StartTracingOptions {
  /** `service.name` when OTEL_SERVICE_NAME does not set one. */
  serviceName: string;
  env?: NodeJS.ProcessEnv;
  /** Replaces the exporter the environment names (tests use the SDK's in-memory exporter). */
  exporter?: SpanExporter;
}

/**
 * Registers the tracer provider, the W3C trace-context propagator, the AsyncLocalStorage context
 * manager and the PostgreSQL (pg) and Redis (ioredis) instrumentations (tracer-provider.ts). Must
 * run before `pg` and `ioredis` are loaded (entry points import ./register-tracing first). Returns
 * a function that flushes and stops tracing; does nothing (and returns a no-op) when tracing is off.
 */
export function startTracing(options: StartTracingOptions): () => Promise<void> {
  const settings = tracingSettings(options.env);
  if (active || (!settings.enabled && !options.exporter)) return async () => undefined;
  // Loaded only when tracing is on: the SDK, the exporter and the instrumentations are about 5 MB
  // of memory in every process.
  const { registerTracerProvider } = require('./tracer-provider') as typeof import('./tracer-provider');
  const stop = registerTracerProvider({ serviceName: options.serviceName, exporter: options.exporter, console: settings.exporter === 'console' });
  active = true;
  return async () => {
    await stop();
    active = false;
  };
}
