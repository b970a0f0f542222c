import { PaymentUnavailableError, type PaymentProvider } from './provider';

/** Production without STRIPE_SECRET_KEY: paid offers cannot be bought (free ones still can). */
export class UnconfiguredPaymentProvider implements PaymentProvider {
  readonly kind = 'STRIPE' as const;

  async createPaymentIntent(): Promise<never> {
    throw new PaymentUnavailableError('Payments are not configured (STRIPE_SECRET_KEY is not set).');
  }

  async cancelPaymentIntent(): Promise<void> {}
}
