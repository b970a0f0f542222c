import { GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from './errors';

/** `DateTime`: ISO-8601 with a time zone, serialized in UTC. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 date and time, serialized in UTC.',
  serialize: (value) => {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) throw new TypeError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    throw badUserInput('DateTime', 'A DateTime must be an ISO-8601 string with a time zone, e.g. 2026-12-01T09:00:00Z.');
  }
  return new Date(value);
}

/** `Date`: a calendar day, `YYYY-MM-DD`, kept as that string. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date, YYYY-MM-DD.',
  serialize: (value) => String(value),
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseDate(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) return value;
  }
  throw badUserInput('Date', 'A Date must be a real calendar day written YYYY-MM-DD.');
}

/**
 * `MinorUnits`: a whole amount of a currency's minor unit. On the wire a JSON number like `Int`,
 * but exact up to Number.MAX_SAFE_INTEGER instead of 2^31 − 1: a total in KWD fils or a year of
 * revenue passes 2^31 (issue 16). Anything it cannot carry exactly is an error, never a wrap.
 */
export const MinorUnitsScalar = new GraphQLScalarType<number, number>({
  name: 'MinorUnits',
  description: "A whole amount of a currency's minor unit, as a JSON number exact up to 2^53 − 1.",
  serialize: (value) => {
    const amount = typeof value === 'bigint' || typeof value === 'string' ? Number(value) : value;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
      throw new TypeError(`MinorUnits cannot represent ${String(value)} exactly`);
    }
    return amount;
  },
  parseValue: (value) => parseMinorUnits(value),
  parseLiteral: (ast) => parseMinorUnits(ast.kind === Kind.INT ? Number(ast.value) : undefined),
});

function parseMinorUnits(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw badUserInput('MinorUnits', 'A MinorUnits value must be a whole number from -(2^53 − 1) to 2^53 − 1.');
}
