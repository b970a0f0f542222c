import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-node';

export interface TracerProviderOptions {
  /** `service.name` when OTEL_SERVICE_NAME does not set one. */
  serviceName: string;
  /** Spans go here, one at a time, instead of the exporter the environment names (tests). */
  exporter?: SpanExporter;
  /** The console exporter rather than OTLP over HTTP. */
  console: boolean;
}

/**
 * Registers the tracer provider, the W3C trace-context propagator, the AsyncLocalStorage context
 * manager and the PostgreSQL (pg) and Redis (ioredis) instrumentations (see tracing.ts). Returns a
 * function that flushes and stops them.
 */
export function registerTracerProvider(options: TracerProviderOptions): () => Promise<void> {
  const exporter: SpanExporter = options.exporter ?? (options.console ? new ConsoleSpanExporter() : new OTLPTraceExporter());
  const processor: SpanProcessor = options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter);
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': options.serviceName }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  // Only statements and commands made for a traced request: the relay's polling and the job
  // queue's blocking reads would otherwise start a root trace each.
  const disableInstrumentations = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new PgInstrumentation({ requireParentSpan: true }), new IORedisInstrumentation({ requireParentSpan: true })],
  });
  return async () => {
    disableInstrumentations();
    await provider.shutdown();
  };
}
