import { randomUUID } from 'node:crypto';
import type { CreatedPaymentIntent, PaymentProvider } from './provider';

/**
 * DEVELOPMENT ONLY: stands in for Stripe when no STRIPE_SECRET_KEY is set (the embedded default and
 * local runs), so purchases can be tried end to end. It charges nobody and settles every payment
 * at once; its intent ids start with `simulated_` and purchases record the provider SIMULATED.
 * Never used when a Stripe key is configured, nor in production.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  readonly kind = 'SIMULATED' as const;

  async createPaymentIntent(): Promise<CreatedPaymentIntent> {
    return { id: `simulated_pi_${randomUUID()}`, clientSecret: null, settled: true };
  }

  async cancelPaymentIntent(): Promise<void> {}
}
