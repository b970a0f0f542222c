import type { Config } from '../../../kernel/config';
import type { OffersConfig } from '../config';
import type { Logger } from '../../../kernel/logger';
import type { PaymentProvider } from './provider';
import { SimulatedPaymentProvider } from './simulated-provider';
import { createStripeClient, StripePaymentProvider } from './stripe-provider';
import { UnconfiguredPaymentProvider } from './unconfigured-provider';

/**
 * Stripe when STRIPE_SECRET_KEY is set; otherwise the labelled simulator outside production, and
 * in production a provider that refuses paid purchases rather than giving goods away.
 */
export function createPaymentProvider(stripe: OffersConfig['stripe'], env: Config['env'], logger: Logger): PaymentProvider {
  if (stripe.secretKey) return new StripePaymentProvider(createStripeClient(stripe), logger);
  if (env === 'production') {
    logger.error('STRIPE_SECRET_KEY is not set: paid offers cannot be purchased');
    return new UnconfiguredPaymentProvider();
  }
  logger.warn(
    'SIMULATED PAYMENTS: STRIPE_SECRET_KEY is not set, so paid purchases complete at once without charging anyone (development only).',
  );
  return new SimulatedPaymentProvider();
}
