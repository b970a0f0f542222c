import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
} from 'graphql';

/** Values that broke the gateway once (issue 23) or break servers in general. */
const HOSTILE_STRINGS = [
  '',
  'a\u0000b',
  '\u0000',
  '0000-01-01T00:00:00Z',
  '2027-02-30T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '0000-01-01',
  '9999-12-31',
  '2027-02-30',
  '00000000-0000-0000-0000-000000000000',
  "'; drop table offers; --",
  '%_\\',
  'x'.repeat(10_000),
  '\ud800',
  '👍🏽',
  Buffer.from(JSON.stringify([0, '99999999999999999999', '00000000-0000-0000-0000-000000000000'])).toString('base64url'),
  Buffer.from(JSON.stringify([0, '9223372036854775807', '00000000-0000-0000-0000-000000000000'])).toString('base64url'),
  'CSVV',
  'vip',
];

const HOSTILE_NUMBERS = [0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e300, -1e300, Number.MAX_SAFE_INTEGER];

/** Anything a JSON body can carry, the wrong kind included. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Plausible values of a named type, mixed with hostile ones of the same kind. */
function forScalar(name: string, valid: Record<string, unknown[]>): fc.Arbitrary<unknown> {
  const known = valid[name] ?? [];
  const kind: Record<string, fc.Arbitrary<unknown>> = {
    Int: fc.oneof(fc.integer(), fc.constantFrom(...HOSTILE_NUMBERS), fc.integer({ min: -5, max: 25 })),
    Float: fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(...HOSTILE_NUMBERS)),
    Boolean: fc.boolean(),
    Date: fc.oneof(
      fc.constantFrom('2026-11-01', '2026-12-31', '0000-01-01', '9999-12-31', '2027-02-30', '2026-13-01', '2026-1-1'),
      fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
    ),
    DateTime: fc.oneof(
      fc.constantFrom('2026-12-01T09:00:00Z', '0000-01-01T00:00:00Z', '2027-02-30T00:00:00Z', '2026-12-01T24:00:00Z', '2026-12-01T09:00:00+25:00'),
      fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((date) => date.toISOString()),
    ),
  };
  return fc.oneof(
    { arbitrary: known.length > 0 ? fc.constantFrom(...known) : fc.constantFrom(...HOSTILE_STRINGS), weight: 3 },
    { arbitrary: kind[name] ?? fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 40 })), weight: 3 },
    { arbitrary: anyJson, weight: 1 },
  );
}

/**
 * An arbitrary for a variable of `type`: mostly values of the right shape (real ids from `valid`,
 * in-range numbers) with hostile ones among them at every level, plus missing required fields,
 * unknown fields and values of the wrong kind.
 */
export function hostileValue(type: GraphQLInputType, valid: Record<string, unknown[]>, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return fc.oneof({ arbitrary: hostileValue(type.ofType, valid, depth), weight: 9 }, { arbitrary: fc.constant(null), weight: 1 });
  if (isListType(type)) {
    return fc.oneof(fc.array(hostileValue(type.ofType, valid, depth + 1), { maxLength: 4 }), hostileValue(type.ofType, valid, depth + 1));
  }
  const named = getNamedType(type);
  if (isEnumType(named)) {
    return fc.oneof(
      { arbitrary: fc.constantFrom(...named.getValues().map((value) => value.name)), weight: 4 },
      { arbitrary: fc.constantFrom('csv', 'XLSXX', 'VIP ', ''), weight: 1 },
      { arbitrary: anyJson, weight: 1 },
    );
  }
  if (isInputObjectType(named)) {
    if (depth > 3) return anyJson;
    const fields = Object.values(named.getFields());
    const record = fc.record(
      Object.fromEntries(fields.map((field) => [field.name, hostileValue(field.type, { ...valid, ...(valid[`${named.name}.${field.name}`] ? { [getNamedType(field.type).name]: valid[`${named.name}.${field.name}`] } : {}) }, depth + 1)])),
      { requiredKeys: fields.filter((field) => isNonNullType(field.type)).map((field) => field.name) },
    );
    return fc.oneof(
      { arbitrary: record, weight: 6 },
      { arbitrary: fc.record(Object.fromEntries(fields.map((field) => [field.name, hostileValue(field.type, valid, depth + 1)])), { requiredKeys: [] }), weight: 1 },
      { arbitrary: record.map((value) => ({ ...(value as object), unknownField: 1 })), weight: 1 },
      { arbitrary: anyJson, weight: 1 },
    );
  }
  if (isScalarType(named)) return forScalar(named.name, valid);
  return anyJson;
}
