import Stripe from 'stripe';
import { circuitBreaker, ConsecutiveBreaker, handleWhen, BrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import type { OffersConfig } from '../config';
import type { Logger } from '../../../kernel/logger';
import {
  PaymentUnavailableError,
  type CreatedPaymentIntent,
  type PaymentIntentRequest,
  type PaymentProvider,
} from './provider';
import { toStripeAmount } from './stripe-amount';

/** Errors that say Stripe (or the way to it) is unwell, rather than that our request is wrong. */
function isTransient(error: unknown): boolean {
  if (error instanceof Stripe.errors.StripeConnectionError) return true;
  if (error instanceof Stripe.errors.StripeAPIError) return true;
  if (error instanceof Stripe.errors.StripeRateLimitError) return true;
  const status = (error as { statusCode?: number }).statusCode;
  return typeof status === 'number' && status >= 500;
}

/** Builds the Stripe client from config: host, port and protocol can point it at a local server. */
export function createStripeClient(config: OffersConfig['stripe']): Stripe {
  return new Stripe(config.secretKey!, {
    host: config.host,
    port: config.port,
    protocol: config.protocol,
    timeout: config.timeoutMs,
    maxNetworkRetries: config.maxNetworkRetries,
    telemetry: false,
    appInfo: { name: 'monetization-supergraph' },
  });
}

/**
 * PaymentIntents on Stripe. Every create carries the purchase's idempotency key, so the client's
 * own retries (and ours) cannot charge twice. After a run of transient failures a circuit breaker
 * answers "unavailable" at once for a while instead of making buyers wait for timeouts.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly kind = 'STRIPE' as const;
  private readonly breaker: CircuitBreakerPolicy;

  constructor(
    private readonly stripe: Stripe,
    private readonly logger: Logger,
  ) {
    this.breaker = circuitBreaker(handleWhen(isTransient), { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) });
  }

  async createPaymentIntent(request: PaymentIntentRequest): Promise<CreatedPaymentIntent> {
    try {
      const intent = await this.breaker.execute(() =>
        this.stripe.paymentIntents.create(
          {
            amount: toStripeAmount(request.amountCents, request.currency),
            currency: request.currency.toLowerCase(),
            description: request.description,
            automatic_payment_methods: { enabled: true },
            metadata: {
              purchaseId: request.purchaseId,
              offerId: request.offerId,
              eventId: request.eventId,
              userId: request.userId,
            },
          },
          { idempotencyKey: request.idempotencyKey },
        ),
      );
      return { id: intent.id, clientSecret: intent.client_secret, settled: false };
    } catch (error) {
      if (error instanceof BrokenCircuitError || isTransient(error)) {
        this.logger.warn({ err: error, purchaseId: request.purchaseId }, 'Stripe is unavailable; the purchase is refused');
        throw new PaymentUnavailableError('Stripe is unavailable.', { cause: error });
      }
      throw error;
    }
  }

  async cancelPaymentIntent(paymentIntentId: string): Promise<void> {
    await this.stripe.paymentIntents.cancel(paymentIntentId, {}, { idempotencyKey: `cancel:${paymentIntentId}` });
  }
}
