import type { PaymentProviderKind } from '../entities/offer-purchase';

/** What a purchase asks the payment provider for. */
export interface PaymentIntentRequest {
  purchaseId: string;
  offerId: string;
  eventId: string;
  userId: string;
  /** Integer minor units of `currency` (ISO 4217); providers convert to their own units. */
  amountCents: number;
  /** ISO 4217, upper case as stored; providers convert to their own spelling. */
  currency: string;
  /** The same key for every attempt of one purchase, so a retried request never charges twice. */
  idempotencyKey: string;
  description: string;
}

export interface CreatedPaymentIntent {
  id: string;
  /** What the browser needs to confirm the payment; null when there is nothing left to confirm. */
  clientSecret: string | null;
  /** True when the provider settled the payment at once (the simulator); Stripe reports later, by webhook. */
  settled: boolean;
}

/** Takes money for purchases. Stripe in production; a labelled simulator in development. */
export interface PaymentProvider {
  readonly kind: Exclude<PaymentProviderKind, 'NONE'>;
  createPaymentIntent(request: PaymentIntentRequest): Promise<CreatedPaymentIntent>;
  /** Best effort: called after a reservation is released so the buyer can no longer pay for it. */
  cancelPaymentIntent(paymentIntentId: string): Promise<void>;
}

/** The provider cannot take payments now (down, timing out, not configured): nothing was charged. */
export class PaymentUnavailableError extends Error {
  override name = 'PaymentUnavailableError';
}
