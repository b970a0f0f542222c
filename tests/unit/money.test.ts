import { formatMoney, minorUnitDigits, toDecimalText } from '../../kernel/money';
import { MinorUnitsScalar } from '../../kernel/scalars';
import { parseMoney } from '../../subgraphs/offers/offer-input';
import { chargeableStep, fromStripeAmount, toStripeAmount } from '../../subgraphs/offers/payments/stripe-amount';
import { pgArray } from '../../kernel/db/sql';
import { parseEnvelope, createEnvelope } from '../../kernel/events/envelope';

describe('money formatting', () => {
  it.each([
    [0, 'USD', '$0.00'],
    [129900, 'USD', '$1,299.00'],
    [5, 'EUR', '€0.05'],
    [99999999, 'GBP', '£999,999.99'],
    [1500, 'JPY', '¥1,500'],
    [999999, 'JPY', '¥999,999'],
    [1500, 'KWD', 'KWD 1.500'],
    [999999990, 'KWD', 'KWD 999,999.990'],
    [2 ** 31 + 1, 'USD', '$21,474,836.49'],
  ])('formats %d %s as %s', (amountCents, currency, expected) => {
    expect(formatMoney({ amountCents, currency }).replace(/\u00a0/g, ' ')).toBe(expected);
  });

  it.each([
    ['USD', 2, 1250, '12.50'],
    ['EUR', 2, 5, '0.05'],
    ['JPY', 0, 1500, '1500'],
    ['KWD', 3, 1250, '1.250'],
    ['KWD', 3, -5, '-0.005'],
  ])('knows %s has %d decimals and writes %d as %s', (currency, digits, amountCents, text) => {
    expect(minorUnitDigits(currency)).toBe(digits);
    expect(toDecimalText({ amountCents, currency })).toBe(text);
  });
});

describe('prices typed by organizers (issue 16)', () => {
  it.each([
    ['12.50', 'USD', 1250],
    ['12.5', 'EUR', 1250],
    ['1500', 'JPY', 1500],
    ['999999', 'JPY', 999999],
    ['1.25', 'KWD', 1250],
    ['999999.99', 'KWD', 999999990],
  ])('reads "%s" %s as %d minor units', (amount, currency, minor) => {
    expect(parseMoney('input.price', { amount, currency }, 'USD')).toEqual({ cents: minor, currency });
  });

  it('uses the fallback currency when the input names none', () => {
    expect(parseMoney('input.price', { amount: '1500' }, 'JPY')).toEqual({ cents: 1500, currency: 'JPY' });
  });

  it.each([
    [{ amount: '1500.5', currency: 'JPY' }, 'input.price.amount'],
    [{ amount: '1.2345', currency: 'KWD' }, 'input.price.amount'],
    [{ amount: '1.255', currency: 'KWD' }, 'input.price.amount'],
    [{ amountCents: 1000000, currency: 'JPY' }, 'input.price.amountCents'],
    [{ amountCents: 999999991, currency: 'KWD' }, 'input.price.amountCents'],
    [{ amountCents: 100000000, currency: 'USD' }, 'input.price.amountCents'],
  ])('refuses %j, naming %s', (value, field) => {
    expect(() => parseMoney('input.price', value, 'USD')).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) }));
  });
});

describe('amounts sent to Stripe', () => {
  it.each([
    [1250, 'USD', 1250],
    [1250, 'EUR', 1250],
    [1500, 'JPY', 1500],
    [1250, 'KWD', 1250],
    [5, 'ISK', 500],
  ])('sends %d %s as %d', (minor, currency, stripe) => {
    expect(toStripeAmount(minor, currency)).toBe(stripe);
    expect(fromStripeAmount(stripe, currency.toLowerCase())).toBe(minor);
  });

  it('charges three-decimal currencies in steps of 10 minor units', () => {
    expect([chargeableStep('KWD'), chargeableStep('USD'), chargeableStep('JPY')]).toEqual([10, 1, 1]);
  });
});

describe('the MinorUnits scalar', () => {
  it('carries amounts past 2^31 exactly as JSON numbers, from numbers, bigints and numeric strings', () => {
    expect(MinorUnitsScalar.serialize(2 ** 31)).toBe(2147483648);
    expect(MinorUnitsScalar.serialize(19999999800n)).toBe(19999999800);
    expect(MinorUnitsScalar.serialize('19999999800')).toBe(19999999800);
  });

  it('refuses what it cannot carry exactly instead of wrapping', () => {
    expect(() => MinorUnitsScalar.serialize(2 ** 53)).toThrow(TypeError);
    expect(() => MinorUnitsScalar.serialize(1.5)).toThrow(TypeError);
  });
});

describe('Postgres array literals', () => {
  it('quote and escape every element', () => {
    expect(pgArray(['a', 'b,c', 'd"e', 'f\\g'])).toBe('{"a","b,c","d\\"e","f\\\\g"}');
    expect(pgArray([])).toBe('{}');
  });
});

describe('message envelopes', () => {
  it('round-trip through JSON', () => {
    const envelope = createEnvelope('Thing', { a: 1 });
    expect(parseEnvelope(Buffer.from(JSON.stringify(envelope)))).toEqual(envelope);
  });

  it.each([['not json'], ['{}'], ['{"id":"","type":"x","occurredAt":"t","data":{}}'], ['{"id":"1","type":"x","occurredAt":"t"}']])(
    'refuse %s',
    (raw) => {
      expect(parseEnvelope(raw)).toBeNull();
    },
  );
});
