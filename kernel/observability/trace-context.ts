import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Context } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { tracer, tracingActive } from './tracing';

/** W3C trace context (`traceparent`, `tracestate`) as plain string headers. */
export type TraceHeaders = Record<string, string>;

/** The active span's trace context as headers, or undefined while tracing is off or no span is active. */
export function currentTraceHeaders(): TraceHeaders | undefined {
  if (!tracingActive()) return undefined;
  const carrier: TraceHeaders = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The context a set of headers carries (Kafka's are Buffers). */
export function contextFrom(headers: Record<string, string | Buffer | (string | Buffer)[] | undefined> | undefined): Context {
  const carrier: TraceHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const one = Array.isArray(value) ? value[0] : value;
    if (one !== undefined) carrier[name.toLowerCase()] = one.toString();
  }
  return propagation.extract(context.active(), carrier);
}

/**
 * A SERVER span per request, child of the caller's `traceparent`, around the rest of the chain
 * (express.json must run before it: body parsing happens in stream callbacks, outside the context).
 * A pass-through while tracing is off.
 */
export function traceRequests(name: string, attributes: Attributes = {}): RequestHandler {
  return (req, res, next) => {
    if (!tracingActive()) return next();
    const parent = contextFrom(req.headers as Record<string, string>);
    const span = tracer().startSpan(`${req.method} ${name}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path, ...attributes } }, parent);
    res.once('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Runs `work` in a span of `kind` under `parent`; the span ends (with an error status on a throw) when it settles. */
export async function inSpan<T>(name: string, kind: SpanKind, parent: Context, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  if (!tracingActive()) return work();
  const span = tracer().startSpan(name, { kind, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}
