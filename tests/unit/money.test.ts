import { formatMoney } from '../../kernel/money';
import { pgArray } from '../../kernel/db/sql';
import { parseEnvelope, createEnvelope } from '../../kernel/events/envelope';

describe('money formatting', () => {
  it.each([
    [0, 'USD', '$0.00'],
    [129900, 'USD', '$1,299.00'],
    [5, 'EUR', '€0.05'],
    [99999999, 'GBP', '£999,999.99'],
  ])('formats %d %s as %s', (amountCents, currency, expected) => {
    expect(formatMoney({ amountCents, currency })).toBe(expected);
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
