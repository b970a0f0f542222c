import express, { type Router } from 'express';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import Stripe from 'stripe';
import { applyOnce } from '../../kernel/events/idempotent';
import type { Logger } from '../../kernel/logger';
import { fromStripeAmount } from './payments/stripe-amount';
import type { PaymentReference, PaymentSettlement, Settlement } from './settlement';

/** Consumer name under which Stripe event ids are recorded in processed_messages. */
export const STRIPE_WEBHOOK_CONSUMER = 'stripe-webhook';

type IntentHandler = (settlement: PaymentSettlement, tx: EntityManager, ref: PaymentReference, intent: Stripe.PaymentIntent) => Promise<Settlement>;

/** The PaymentIntent events that move purchases (`charge.refunded` is handled apart); every other event type is acknowledged and ignored. */
const HANDLERS: Record<string, IntentHandler> = {
  'payment_intent.succeeded': (settlement, tx, ref) => settlement.completeIn(tx, ref),
  'payment_intent.payment_failed': (settlement, tx, ref, intent) =>
    settlement.releaseIn(tx, ref, 'FAILED', `Payment failed${intent.last_payment_error?.message ? `: ${intent.last_payment_error.message}` : '.'}`, {
      // The buyer could otherwise retry on the same intent and pay for units no longer held.
      cancelIntent: true,
    }),
  'payment_intent.canceled': (settlement, tx, ref) =>
    settlement.releaseIn(tx, ref, 'CANCELLED', 'Payment cancelled.', { cancelIntent: false }),
};

/**
 * `POST /webhooks/stripe` on the offers subgraph (the gateway forwards its own route here byte for
 * byte). The raw body is verified against STRIPE_WEBHOOK_SECRET; a bad signature answers 400 and
 * changes nothing. Each Stripe event id is applied once (processed_messages), in the same
 * transaction as its effect; a failure answers 500 so Stripe delivers it again.
 */
export function stripeWebhookRouter(options: {
  webhookSecret?: string;
  orm: MikroORM;
  settlement: PaymentSettlement;
  logger: Logger;
}): Router {
  const { webhookSecret, orm, settlement, logger } = options;
  const router = express.Router();
  router.post('/webhooks/stripe', express.raw({ type: '*/*', limit: '1mb' }), async (req, res) => {
    if (!webhookSecret) {
      logger.warn('a Stripe webhook arrived but STRIPE_WEBHOOK_SECRET is not set; refused');
      res.status(400).json({ error: 'Stripe webhooks are not configured.' });
      return;
    }
    let event: Stripe.Event;
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      event = Stripe.webhooks.constructEvent(body, req.header('stripe-signature') ?? '', webhookSecret);
    } catch (error) {
      logger.warn({ err: error }, 'Stripe webhook with an invalid signature refused');
      res.status(400).json({ error: 'Invalid Stripe signature.' });
      return;
    }
    if (event.type === 'charge.refunded') {
      await applyRefund(event, options, res);
      return;
    }
    const handler = HANDLERS[event.type];
    if (!handler) {
      res.json({ received: true, handled: false });
      return;
    }
    try {
      const intent = event.data.object as Stripe.PaymentIntent;
      const ref: PaymentReference = {
        purchaseId: intent.metadata?.purchaseId ?? null,
        paymentIntentId: intent.id,
        amountCents:
          event.type === 'payment_intent.succeeded' ? fromStripeAmount(intent.amount_received || intent.amount, intent.currency) : undefined,
        currency: intent.currency,
      };
      let outcome: Settlement = { kind: 'unchanged' };
      const applied = await applyOnce(orm.em.fork(), STRIPE_WEBHOOK_CONSUMER, event.id, async (tx) => {
        outcome = await handler(settlement, tx, ref, intent);
      });
      if (applied) await settlement.afterCommit([outcome]);
      res.json({ received: true, handled: applied });
    } catch (error) {
      logger.error({ err: error, stripeEventId: event.id, type: event.type }, 'a Stripe webhook could not be applied; Stripe will retry');
      res.status(500).json({ error: 'The event could not be processed; it will be retried.' });
    }
  });
  return router;
}

/**
 * `charge.refunded`: Stripe's cumulative `amount_refunded` applied to the purchase (see
 * `refundIn`), once per Stripe event: a partial refund lowers its net amount and analytics revenue
 * by the new part; a full refund turns it REFUNDED and puts its units back on sale.
 */
async function applyRefund(
  event: Stripe.Event,
  options: { orm: MikroORM; settlement: PaymentSettlement; logger: Logger },
  res: express.Response,
): Promise<void> {
  const charge = event.data.object as Stripe.Charge;
  const paymentIntentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : (charge.payment_intent?.id ?? null);
  if (!(charge.amount_refunded > 0) || !paymentIntentId) {
    res.json({ received: true, handled: false });
    return;
  }
  try {
    let outcome: Settlement = { kind: 'unchanged' };
    const applied = await applyOnce(options.orm.em.fork(), STRIPE_WEBHOOK_CONSUMER, event.id, async (tx) => {
      outcome = await options.settlement.refundIn(tx, { paymentIntentId, refundedCents: fromStripeAmount(charge.amount_refunded, charge.currency), currency: charge.currency });
    });
    if (applied) await options.settlement.afterCommit([outcome]);
    res.json({ received: true, handled: applied });
  } catch (error) {
    options.logger.error({ err: error, stripeEventId: event.id }, 'a Stripe refund could not be applied; Stripe will retry');
    res.status(500).json({ error: 'The event could not be processed; it will be retried.' });
  }
}
