import express, { type Router } from 'express';
import type { Logger } from '../kernel/logger';

/**
 * `POST /webhooks/stripe` on the gateway's port, forwarded to the offers subgraph byte for byte:
 * the signature covers the raw body, so it must not be parsed or re-serialized on the way.
 */
export function stripeWebhookProxy(offersGraphqlUrl: string, logger: Logger): Router {
  const target = new URL('/webhooks/stripe', offersGraphqlUrl).toString();
  const router = express.Router();
  router.post('/webhooks/stripe', express.raw({ type: '*/*', limit: '1mb' }), async (req, res) => {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const response = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': req.header('content-type') ?? 'application/json',
          'stripe-signature': req.header('stripe-signature') ?? '',
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      res.status(response.status).type(response.headers.get('content-type') ?? 'application/json');
      res.send(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      logger.error({ err: error }, 'forwarding a Stripe webhook failed');
      // 503 makes Stripe retry the delivery later; nothing is lost.
      res.status(503).json({ error: 'The offers service is unavailable; retry later.' });
    }
  });
  return router;
}
