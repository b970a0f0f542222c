/** The offers subgraph's limit on one purchase (subgraphs/offers/purchase/purchase-service.ts). */
export const MAX_QUANTITY = 20;

/** The most one purchase may take of an offer: 20, or fewer when fewer are left (null: unlimited). */
export const maxQuantity = (available: number | null | undefined) => Math.min(MAX_QUANTITY, available ?? MAX_QUANTITY);

/** Why the typed quantity cannot be bought, or undefined when it can. */
export function quantityError(text: string, available: number | null | undefined): string | undefined {
  const value = text.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1) return 'Enter a whole number, at least 1.';
  const max = maxQuantity(available);
  if (Number(value) > max) return max < MAX_QUANTITY ? `Only ${max} left.` : `At most ${MAX_QUANTITY} per purchase.`;
  return undefined;
}
