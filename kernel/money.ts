import { memoize } from './memo';

/**
 * Money as the contract defines it: an integer amount in the currency's minor unit (cents for USD
 * and EUR, yen for JPY, fils for KWD: the ISO 4217 exponent) plus an ISO 4217 currency code. The
 * field keeps the contract's name, `amountCents`, for every currency.
 */
export interface Money {
  amountCents: number;
  currency: string;
}

const formatters = new Map<string, Intl.NumberFormat>();
/** Each currency's exponent, asked of a formatter once (`resolvedOptions` allocates on every call). */
const minorDigits = new Map<string, number>();

function formatterFor(currency: string): Intl.NumberFormat {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'symbol' });
    formatters.set(currency, formatter);
  }
  return formatter;
}

/**
 * The currency's ISO 4217 exponent: how many decimals its minor unit has (USD 2, JPY 0, KWD 3).
 * ICU's currency data carries it as the formatter's default fraction digits.
 */
export function minorUnitDigits(currency: string): number {
  let digits = minorDigits.get(currency);
  if (digits === undefined) {
    digits = formatterFor(currency).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigits.set(currency, digits);
  }
  return digits;
}

/** Minor units as a decimal number of the main unit (150000 JPY → 150000, 1250 USD → 12.5, 1500 KWD → 1.5). */
export function toMajorUnits({ amountCents, currency }: Money): number {
  return amountCents / 10 ** minorUnitDigits(currency);
}

/** Minor units as decimal text with exactly the currency's decimals, no grouping (1250 USD → "12.50", 1500 JPY → "1500"). */
export function toDecimalText({ amountCents, currency }: Money): string {
  const digits = minorUnitDigits(currency);
  const sign = amountCents < 0 ? '-' : '';
  const text = Math.abs(amountCents).toString().padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * The one place where minor units become text, e.g. 129900 USD → "$1,299.00", 1500 JPY → "¥1,500".
 * Remembered by currency and amount: prices repeat on every list, and ICU formatting is not cheap.
 */
export const formatMoney: (value: Money) => string = memoize(
  10_000,
  ({ amountCents, currency }) => `${currency}${amountCents}`,
  (value) => formatterFor(value.currency).format(toMajorUnits(value)),
);

export function money(amountCents: number, currency: string): Money {
  return { amountCents, currency };
}
