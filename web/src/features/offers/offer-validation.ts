import type { CreateOfferInput, OfferType, UpdateOfferInput } from '../../generated/graphql';

/** What the offer form holds: text as typed. */
export interface OfferFormValues {
  title: string;
  type: OfferType;
  description: string;
  price: string;
  originalPrice: string;
  inventoryTotal: string;
  imageUrl: string;
  isActive: boolean;
}

export type OfferFormErrors = Partial<Record<keyof OfferFormValues, string>>;

/** 0 to 999999.99 with at most two decimals: the server's rule for a decimal amount. */
const DECIMAL_AMOUNT = /^(0|[1-9]\d{0,5})(\.\d{1,2})?$/;

/**
 * Two decimal amounts compared as the person typed them, digit by digit: no floating point and
 * no currency arithmetic. Both must already match DECIMAL_AMOUNT.
 */
export function compareAmounts(a: string, b: string): number {
  const [aWhole = '', aFraction = ''] = a.split('.');
  const [bWhole = '', bFraction = ''] = b.split('.');
  if (aWhole.length !== bWhole.length) return aWhole.length - bWhole.length;
  const left = aWhole + aFraction.padEnd(2, '0');
  const right = bWhole + bFraction.padEnd(2, '0');
  return left < right ? -1 : left > right ? 1 : 0;
}

function amountError(value: string): string | undefined {
  if (!DECIMAL_AMOUNT.test(value)) return 'Enter an amount like 12.50: digits, at most two decimals.';
  return undefined;
}

/**
 * The contract's offer rules, checked as the person types. `editing`: empty price fields keep the
 * offer's current amounts, so only what was typed is checked.
 */
export function validateOffer(values: OfferFormValues, editing = false): OfferFormErrors {
  const errors: OfferFormErrors = {};
  const title = values.title.trim();
  if (!title) errors.title = 'Give the offer a title.';
  else if (title.length > 200) errors.title = 'At most 200 characters.';
  if (values.description.length > 5000) errors.description = 'At most 5000 characters.';
  const price = values.price.trim();
  if (price || !editing) {
    if (!price) errors.price = 'Enter a price (0 for free).';
    else errors.price = amountError(price);
  }
  const original = values.originalPrice.trim();
  if (original) {
    errors.originalPrice = amountError(original);
    if (!errors.originalPrice && price && !errors.price && compareAmounts(original, price) < 0) {
      errors.originalPrice = 'The original price must be at least the price.';
    }
  }
  const inventory = values.inventoryTotal.trim();
  if (inventory && (!/^\d+$/.test(inventory) || Number(inventory) < 1)) errors.inventoryTotal = 'At least 1 unit, or leave empty for unlimited.';
  else if (inventory && Number(inventory) > 2_147_483_647) errors.inventoryTotal = 'That is more units than can be stored.';
  const imageUrl = values.imageUrl.trim();
  if (imageUrl) {
    if (imageUrl.length > 2048) errors.imageUrl = 'At most 2048 characters.';
    else if (!/^https:\/\/[^\s/]+\S*$/i.test(imageUrl)) errors.imageUrl = 'Use an https:// address.';
  }
  for (const key of Object.keys(errors) as (keyof OfferFormErrors)[]) if (!errors[key]) delete errors[key];
  return errors;
}

export const emptyOffer: OfferFormValues = {
  title: '',
  type: 'DIGITAL',
  description: '',
  price: '',
  originalPrice: '',
  inventoryTotal: '',
  imageUrl: '',
  isActive: true,
};

/** The create mutation's input; amounts go to the server as typed decimals. */
export function toCreateInput(eventId: string, values: OfferFormValues): CreateOfferInput {
  return {
    eventId,
    title: values.title.trim(),
    type: values.type,
    description: values.description.trim() || null,
    price: { amount: values.price.trim() },
    originalPrice: values.originalPrice.trim() ? { amount: values.originalPrice.trim() } : null,
    inventoryTotal: values.inventoryTotal.trim() ? Number(values.inventoryTotal) : null,
    imageUrl: values.imageUrl.trim() || null,
    isActive: values.isActive,
  };
}

/** The update mutation's input: amounts only when typed; cleared text clears optional fields. */
export function toUpdateInput(values: OfferFormValues): UpdateOfferInput {
  return {
    title: values.title.trim(),
    type: values.type,
    description: values.description.trim() || null,
    ...(values.price.trim() ? { price: { amount: values.price.trim() } } : {}),
    ...(values.originalPrice.trim() ? { originalPrice: { amount: values.originalPrice.trim() } } : {}),
    inventoryTotal: values.inventoryTotal.trim() ? Number(values.inventoryTotal) : null,
    imageUrl: values.imageUrl.trim() || null,
    isActive: values.isActive,
  };
}
