import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** One request the Stripe client sent, as the server received it. */
export interface StripeRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The form-encoded body, keys as sent (`metadata[purchaseId]`). */
  form: Record<string, string>;
}

/** How the fake answers PaymentIntent creation: normally, with a 5xx, or not at all (a timeout). */
export type StripeMode = 'ok' | 'fail' | 'hang' | 'refuse';

export interface LocalStripeServer {
  port: number;
  requests: StripeRequest[];
  mode: StripeMode;
  /** Environment that points the offers subgraph's Stripe client at this server. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

export const TEST_STRIPE_KEY = 'sk_test_local_0123456789';
export const TEST_WEBHOOK_SECRET = 'whsec_test_local_0123456789abcdef';

/**
 * A small stand-in for api.stripe.com on loopback (no network here): it records what the real
 * `stripe` client sends and answers PaymentIntent creation and cancellation like Stripe does.
 */
export async function startStripeServer(): Promise<LocalStripeServer> {
  const requests: StripeRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  let counter = 0;
  const state = { mode: 'ok' as StripeMode };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const path = (req.url ?? '').split('?')[0];
      requests.push({ method: req.method ?? '', path, headers: req.headers, form });
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${requests.length}` });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && path === '/v1/payment_intents') {
        if (state.mode === 'hang') {
          hanging.add(res);
          return;
        }
        if (state.mode === 'refuse') {
          json(400, { error: { type: 'invalid_request_error', code: 'amount_too_small', message: 'Amount must be at least $0.50 usd' } });
          return;
        }
        if (state.mode === 'fail') {
          json(500, { error: { type: 'api_error', message: 'Something went wrong on our end.' } });
          return;
        }
        counter += 1;
        const id = `pi_local_${counter}`;
        json(200, {
          id,
          object: 'payment_intent',
          amount: Number(form.amount),
          currency: form.currency,
          status: 'requires_payment_method',
          client_secret: `${id}_secret_local`,
          metadata: Object.fromEntries(
            Object.entries(form)
              .filter(([key]) => key.startsWith('metadata['))
              .map(([key, value]) => [key.slice('metadata['.length, -1), value]),
          ),
        });
        return;
      }
      const cancel = /^\/v1\/payment_intents\/([^/]+)\/cancel$/.exec(path);
      if (req.method === 'POST' && cancel) {
        json(200, { id: cancel[1], object: 'payment_intent', status: 'canceled' });
        return;
      }
      json(404, { error: { type: 'invalid_request_error', message: `No route ${req.method} ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    get mode() {
      return state.mode;
    },
    set mode(mode: StripeMode) {
      state.mode = mode;
    },
    env: (extra = {}) => ({
      STRIPE_SECRET_KEY: TEST_STRIPE_KEY,
      STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      STRIPE_API_HOST: '127.0.0.1',
      STRIPE_API_PORT: String(port),
      STRIPE_API_PROTOCOL: 'http',
      ...extra,
    }),
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A PaymentIntent webhook event as Stripe would send it. */
export function paymentIntentEvent(
  type: 'payment_intent.succeeded' | 'payment_intent.payment_failed' | 'payment_intent.canceled',
  intent: { id: string; amount: number; currency: string; metadata: Record<string, string> },
  eventId = `evt_${Math.random().toString(36).slice(2)}`,
): Record<string, unknown> {
  return {
    id: eventId,
    object: 'event',
    type,
    api_version: '2025-01-27',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        object: 'payment_intent',
        status: type === 'payment_intent.succeeded' ? 'succeeded' : type === 'payment_intent.canceled' ? 'canceled' : 'requires_payment_method',
        amount_received: type === 'payment_intent.succeeded' ? intent.amount : 0,
        ...intent,
      },
    },
  };
}

/** Posts an event to a webhook URL, signed with `secret` the way Stripe signs it. */
export async function postStripeWebhook(
  url: string,
  event: Record<string, unknown>,
  secret = TEST_WEBHOOK_SECRET,
): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: payload,
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}
