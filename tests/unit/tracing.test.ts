import { context, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { ConfigError } from '../../kernel/config';
import { MemoryBus } from '../../kernel/events/memory-bus';
import { createEnvelope } from '../../kernel/events/envelope';
import { startPublishSpan } from '../../kernel/events/message-tracing';
import { createLogger } from '../../kernel/logger';
import { currentTraceHeaders } from '../../kernel/observability/trace-context';
import { startTracing, tracer, tracingSettings } from '../../kernel/observability/tracing';

describe('tracing settings from the standard OTEL_* variables', () => {
  it('is off by default', () => {
    expect(tracingSettings({})).toEqual({ enabled: false, exporter: 'none' });
  });

  it('is on with an OTLP endpoint or an exporter named, off again with OTEL_SDK_DISABLED or exporter none', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ enabled: true, exporter: 'otlp' });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toEqual({ enabled: true, exporter: 'otlp' });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'console' })).toEqual({ enabled: true, exporter: 'console' });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).enabled).toBe(false);
    expect(tracingSettings({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }).enabled).toBe(false);
  });

  it('refuses an exporter it cannot run, naming the variable', () => {
    expect(() => tracingSettings({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(ConfigError);
    expect(() => tracingSettings({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER/);
  });
});

describe('with tracing on (in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  let stop: () => Promise<void>;
  beforeAll(() => {
    stop = startTracing({ serviceName: 'unit', env: {}, exporter });
  });
  afterAll(() => stop());
  beforeEach(() => exporter.reset());

  it('writes trace_id and span_id on log lines inside a span, and none outside', () => {
    const lines: string[] = [];
    const logger = createLogger('info', {}, { write: (line: string) => lines.push(line) });
    logger.info('outside');
    const span = tracer().startSpan('request');
    context.with(trace.setSpan(ROOT_CONTEXT, span), () => logger.info('inside'));
    span.end();
    const [outside, inside] = lines.map((line) => JSON.parse(line));
    expect(outside.trace_id).toBeUndefined();
    expect(inside).toMatchObject({ msg: 'inside', trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
  });

  it('carries a request\'s context from the outbox row through the bus headers into the consumer\'s span', async () => {
    const request = tracer().startSpan('purchase', { kind: SpanKind.SERVER });
    const stored = context.with(trace.setSpan(ROOT_CONTEXT, request), () => currentTraceHeaders());
    request.end();
    expect(stored?.traceparent).toContain(request.spanContext().traceId);

    const bus = new MemoryBus(createLogger('silent'));
    let activeInHandler: string | undefined;
    const handled = new Promise<void>((resolve) => {
      void bus.subscribe({
        groupId: 'analytics-monetization',
        topics: ['monetization.events.v1'],
        handler: async () => {
          activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
          resolve();
        },
      });
    });
    const publish = startPublishSpan('monetization.events.v1', stored);
    await bus.publish([{ topic: 'monetization.events.v1', key: 'ev-1', envelope: createEnvelope('PurchaseCompleted', {}), headers: publish.headers }]);
    publish.end();
    await handled;
    await bus.dispose();

    const spans = exporter.getFinishedSpans();
    const producer = spans.find((span) => span.kind === SpanKind.PRODUCER)!;
    const consumer = spans.find((span) => span.kind === SpanKind.CONSUMER)!;
    expect(producer.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(producer.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(consumer.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(producer.spanContext().spanId);
    expect(consumer.attributes['messaging.consumer.group.name']).toBe('analytics-monetization');
    expect(activeInHandler).toBe(consumer.spanContext().spanId);
  });

  it('stores no trace context for a message written outside any span', () => {
    expect(currentTraceHeaders()).toBeUndefined();
  });
});
