/** Money as the contract defines it: integer cents plus an ISO 4217 currency code. */
export interface Money {
  amountCents: number;
  currency: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** The one place where cents become text, e.g. 129900 USD → "$1,299.00". */
export function formatMoney({ amountCents, currency }: Money): string {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'symbol' });
    formatters.set(currency, formatter);
  }
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(amountCents / 10 ** Math.max(digits, 2));
}

export function money(amountCents: number, currency: string): Money {
  return { amountCents, currency };
}
