/**
 * Display helpers. Money is never formatted here: amounts are shown from the server's
 * `Money.formatted`, the one place where cents become text (see MoneyText).
 */
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const count = new Intl.NumberFormat();
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A ratio from the API (0.25) as a percentage (25%). */
export const formatRatio = (ratio: number) => percent.format(ratio);
export const formatCount = (value: number) => count.format(value);
export const formatDateTime = (iso: string | null | undefined) => (iso ? dateTime.format(new Date(iso)) : '—');
