import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { contextFrom, inSpan } from '../observability/trace-context';
import { tracer, tracingActive } from '../observability/tracing';

export interface PublishSpan {
  /** The headers to send with the message: the publish span's trace context. */
  headers?: Record<string, string>;
  end(error?: unknown): void;
}

/**
 * A PRODUCER span for one relayed outbox message, child of the request that wrote it (its stored
 * trace context), so the publish shows in the purchase's trace and consumers continue from it.
 */
export function startPublishSpan(topic: string, traceContext: Record<string, string> | null | undefined): PublishSpan {
  if (!tracingActive() || !traceContext?.traceparent) return { end: () => undefined };
  const parent = propagation.extract(ROOT_CONTEXT, traceContext);
  const span = tracer().startSpan(
    `${topic} publish`,
    { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.destination.name': topic } },
    parent,
  );
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), headers);
  return {
    headers,
    end: (error) => {
      if (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
  };
}

/**
 * Runs a consumer's handler in a CONSUMER span continuing the trace the message's headers carry
 * (a message without them starts its own trace).
 */
export function consumeInSpan<T>(
  groupId: string,
  message: { topic: string; headers?: Record<string, string | Buffer | undefined> },
  work: () => Promise<T>,
): Promise<T> {
  if (!tracingActive()) return work();
  const parent = message.headers?.traceparent ? contextFrom(message.headers) : context.active();
  return inSpan(
    `${message.topic} process`,
    SpanKind.CONSUMER,
    parent,
    { 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.destination.name': message.topic, 'messaging.consumer.group.name': groupId },
    work,
  );
}
