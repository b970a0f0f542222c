import { badUserInput } from '../../kernel/errors';
import { minorUnitDigits, toDecimalText } from '../../kernel/money';
import { checkWebUrl } from '../../kernel/validation/url';
import { chargeableStep } from './payments/stripe-amount';
import { OFFER_TYPES, type OfferType } from './entities/offer';
import type { CreateOfferInput, MoneyInput, UpdateOfferInput } from './generated/resolvers-types';

/**
 * The contract's offer rules, checked before anything reaches the database. Each failure is a
 * BAD_USER_INPUT naming the input path (`input.price.amount`) and saying what is allowed; the
 * CHECK constraints of the offers table restate the same rules as the last line.
 */

/** The contract's highest price, 999999.99 of the main unit, in hundredths. */
const MAX_PRICE_HUNDREDTHS = 99_999_999;
const TITLE_MAX = 200;
const DESCRIPTION_MAX = 5000;
/** Up to 999999 and the currency's decimals at most; no sign, no exponent, no leading zeros. */
const decimalAmount = (digits: number) => new RegExp(`^(0|[1-9]\\d{0,5})${digits > 0 ? `(\\.\\d{1,${digits}})?` : '()'}$`);

/** The highest price in the currency's minor units: 999999.99 of the main unit, as far as its decimals go. */
export function maxPriceMinor(currency: string): number {
  return Math.floor((MAX_PRICE_HUNDREDTHS * 10 ** minorUnitDigits(currency)) / 100);
}
const PLACEMENT = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Every column an offer's input may set, validated and normalized. */
export interface OfferFields {
  title: string;
  description: string | null;
  type: OfferType;
  imageUrl: string | null;
  priceCents: number;
  originalPriceCents: number | null;
  currency: string;
  inventoryTotal: number | null;
  startsAt: Date | null;
  expiresAt: Date | null;
  placement: string | null;
  isActive: boolean;
}

/** A validated amount in the minor units of its currency. */
interface ParsedMoney {
  cents: number;
  currency: string;
}

/** Validates a new offer. `eventCurrency` is used when the price names no currency. */
export function validateNewOffer(input: CreateOfferInput, eventCurrency: string, now = new Date()): OfferFields {
  const price = parseMoney('input.price', input.price, eventCurrency);
  const currency = price.currency;
  const original = input.originalPrice ? parseMoney('input.originalPrice', input.originalPrice, currency) : null;
  const fields: OfferFields = {
    title: title(input.title),
    description: description(input.description ?? null),
    type: offerType(input.type),
    imageUrl: imageUrl(input.imageUrl ?? null),
    priceCents: price.cents,
    originalPriceCents: original?.cents ?? null,
    currency,
    inventoryTotal: inventoryTotal(input.inventoryTotal ?? null),
    startsAt: input.startsAt ?? null,
    expiresAt: input.expiresAt ?? null,
    placement: placement(input.placement ?? null),
    isActive: input.isActive ?? true,
  };
  if (original && original.currency !== currency) {
    throw badUserInput('input.originalPrice.currency', `The original price must be in the offer's currency, ${currency}.`);
  }
  if (fields.expiresAt && fields.expiresAt <= now) {
    throw badUserInput('input.expiresAt', 'expiresAt must be in the future for a new offer.');
  }
  checkCombination(fields);
  return fields;
}

/**
 * Validates changes to an existing offer and returns the offer as it would be after them, so the
 * rules that span fields (original price ≥ price, startsAt < expiresAt) hold for the result.
 * Keys absent from the input keep the current value; null clears an optional field.
 */
export function applyOfferChanges(current: OfferFields, input: UpdateOfferInput): OfferFields {
  const next: OfferFields = { ...current };
  const given = (key: keyof UpdateOfferInput) => Object.prototype.hasOwnProperty.call(input, key);
  const required = <T>(key: keyof UpdateOfferInput, value: T | null | undefined): T => {
    if (value === null || value === undefined) throw badUserInput(`input.${key}`, `${key} cannot be cleared.`);
    return value;
  };

  if (given('title')) next.title = title(required('title', input.title));
  if (given('description')) next.description = description(input.description ?? null);
  if (given('type')) next.type = offerType(required('type', input.type));
  if (given('imageUrl')) next.imageUrl = imageUrl(input.imageUrl ?? null);
  if (given('isActive')) next.isActive = required('isActive', input.isActive);
  if (given('placement')) next.placement = placement(input.placement ?? null);
  if (given('inventoryTotal')) next.inventoryTotal = inventoryTotal(input.inventoryTotal ?? null);
  if (given('startsAt')) next.startsAt = input.startsAt ?? null;
  if (given('expiresAt')) next.expiresAt = input.expiresAt ?? null;
  if (given('price')) {
    const price = parseMoney('input.price', required('price', input.price), current.currency);
    next.priceCents = price.cents;
    next.currency = price.currency;
  }
  if (given('originalPrice')) {
    const original = input.originalPrice ? parseMoney('input.originalPrice', input.originalPrice, next.currency) : null;
    if (original && original.currency !== next.currency) {
      throw badUserInput('input.originalPrice.currency', `The original price must be in the offer's currency, ${next.currency}.`);
    }
    next.originalPriceCents = original?.cents ?? null;
  }
  // A rule spanning two fields is reported on the one the caller changed.
  checkCombination(next, {
    price: given('originalPrice') ? 'input.originalPrice' : 'input.price',
    schedule: given('startsAt') && !given('expiresAt') ? 'input.startsAt' : 'input.expiresAt',
  });
  return next;
}

function checkCombination(
  fields: OfferFields,
  blame: { price: string; schedule: string } = { price: 'input.originalPrice', schedule: 'input.expiresAt' },
): void {
  if (fields.originalPriceCents !== null && fields.originalPriceCents < fields.priceCents) {
    throw badUserInput(blame.price, 'The original price must be at least the price (it is shown struck through as the former price).');
  }
  if (fields.startsAt && fields.expiresAt && fields.startsAt >= fields.expiresAt) {
    throw badUserInput(blame.schedule, 'startsAt must be before expiresAt.');
  }
}

/**
 * Parses a MoneyInput given in minor units (`amountCents`) or as a decimal string such as "12.50",
 * in its own currency or else `fallbackCurrency`: the currency's minor unit decides what the
 * decimals mean ("1500" JPY is 1500 yen, "1.250" KWD is 1250 fils).
 */
export function parseMoney(field: string, value: MoneyInput, fallbackCurrency: string): ParsedMoney {
  const hasCents = value.amountCents !== null && value.amountCents !== undefined;
  const hasAmount = value.amount !== null && value.amount !== undefined;
  if (hasCents === hasAmount) {
    throw badUserInput(field, `${field} needs exactly one of amountCents (the currency's minor units) or amount (a decimal such as "12.50").`);
  }
  const currency = value.currency === null || value.currency === undefined ? fallbackCurrency : currencyCode(`${field}.currency`, value.currency);
  const digits = minorUnitDigits(currency);
  const max = maxPriceMinor(currency);
  const maxText = toDecimalText({ amountCents: max, currency });
  let cents: number;
  if (hasCents) {
    cents = value.amountCents!;
    if (!Number.isInteger(cents) || cents < 0 || cents > max) {
      throw badUserInput(`${field}.amountCents`, `${field}.amountCents must be whole minor units of ${currency} from 0 to ${max} (${maxText}).`);
    }
  } else {
    const text = value.amount!.trim();
    const match = decimalAmount(digits).exec(text);
    const decimals = digits === 0 ? 'no decimals' : `at most ${digits} decimals`;
    if (!match) {
      throw badUserInput(
        `${field}.amount`,
        `${field}.amount must be a decimal from 0 to ${maxText} with ${decimals} in ${currency} (got ${JSON.stringify(value.amount)}).`,
      );
    }
    cents = Number(match[1]) * 10 ** digits + Number((match[2] || '.').slice(1).padEnd(digits, '0') || '0');
    if (cents > max) throw badUserInput(`${field}.amount`, `${field}.amount must be at most ${maxText} in ${currency}.`);
  }
  const step = chargeableStep(currency);
  if (cents % step !== 0) {
    throw badUserInput(
      hasCents ? `${field}.amountCents` : `${field}.amount`,
      `${currency} is charged in steps of ${toDecimalText({ amountCents: step, currency })}: the last digit of the amount in minor units must be 0.`,
    );
  }
  return { cents, currency };
}

function currencyCode(field: string, value: string): string {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !CURRENCIES.has(code)) {
    throw badUserInput(field, `${field} must be an ISO 4217 currency code such as USD or EUR.`);
  }
  return code;
}

function title(value: string): string {
  const text = value.trim();
  const length = [...text].length;
  if (length < 1 || length > TITLE_MAX) {
    throw badUserInput('input.title', `The title must be 1 to ${TITLE_MAX} characters (got ${length}).`);
  }
  return text;
}

function description(value: string | null): string | null {
  if (value === null) return null;
  const text = value.trim();
  const length = [...text].length;
  if (length > DESCRIPTION_MAX) {
    throw badUserInput('input.description', `The description must be at most ${DESCRIPTION_MAX} characters (got ${length}).`);
  }
  return text === '' ? null : text;
}

function offerType(value: string): OfferType {
  if (!(OFFER_TYPES as readonly string[]).includes(value)) {
    throw badUserInput('input.type', `The type must be one of ${OFFER_TYPES.join(', ')}.`);
  }
  return value as OfferType;
}

/**
 * The same strict check as ad URLs (kernel/validation/url.ts), https only: the image is shown on
 * attendees' pages, which are served over https. What is stored is the parser's normalized href.
 */
function imageUrl(value: string | null): string | null {
  if (value === null) return null;
  const result = checkWebUrl(value, { httpsOnly: true });
  if (!result.ok) throw badUserInput('input.imageUrl', `imageUrl ${result.problem}.`);
  return result.href;
}

function inventoryTotal(value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isInteger(value) || value < 1) {
    throw badUserInput('input.inventoryTotal', 'inventoryTotal must be a whole number of at least 1, or omitted for unlimited stock.');
  }
  return value;
}

function placement(value: string | null): string | null {
  if (value === null) return null;
  const text = value.trim();
  if (!PLACEMENT.test(text)) {
    throw badUserInput(
      'input.placement',
      "placement must be 1 to 64 letters, digits, '-', '_', '.' or ':', starting with a letter or digit (e.g. checkout).",
    );
  }
  return text;
}
