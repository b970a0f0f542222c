import { minorUnitDigits } from '../../../kernel/money';

/**
 * Stripe's units where they differ from ISO 4217 (https://stripe.com/docs/currencies#special-cases):
 * ISK has no minor unit, but Stripe's API keeps two decimals for it (ISK 5 is `500`).
 */
const STRIPE_DIGITS: Record<string, number> = { ISK: 2 };

/** Three-decimal currencies (BHD, JOD, KWD, OMR, TND): Stripe takes only amounts whose last digit is 0. */
const THREE_DECIMAL_STEP = 10;

const stripeDigits = (currency: string) => STRIPE_DIGITS[currency.toUpperCase()] ?? minorUnitDigits(currency);
const shift = (currency: string) => 10 ** (stripeDigits(currency) - minorUnitDigits(currency));

/** An amount in the currency's ISO minor units as Stripe's `amount` for that currency (1500 JPY → 1500, 5 ISK → 500). */
export function toStripeAmount(minorUnits: number, currency: string): number {
  return minorUnits * shift(currency);
}

/** Stripe's `amount` (or `amount_refunded`, `amount_received`) back in ISO minor units. */
export function fromStripeAmount(stripeAmount: number, currency: string): number {
  return Math.round(stripeAmount / shift(currency));
}

/** The smallest step of a price that Stripe can charge, in ISO minor units (10 fils for KWD, 1 otherwise). */
export function chargeableStep(currency: string): number {
  return stripeDigits(currency) === 3 ? THREE_DECIMAL_STEP : 1;
}
