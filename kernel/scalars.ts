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

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Years a Date or DateTime may name. PostgreSQL has no year 0, and a day after 9999-12-31 has no
 * four-digit ISO form, so `0000-01-01` or `9999-12-31` plus a day failed in the database (issue 23).
 */
export const MIN_YEAR = 1000;
export const MAX_YEAR = 9998;

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return false;
  // Day 0 of the next month is the last day of this one.
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Every field is checked, not handed to `Date.parse`, which rolls `2027-02-30` into March and
 * accepts hour 24.
 */
function parseDateTime(value: unknown): Date {
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = (match?.slice(1) ?? []).map((part) =>
    part === undefined ? undefined : Number(part),
  ) as number[];
  if (
    !match ||
    !isCalendarDay(year, month, day) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHours > 23 ||
    offsetMinutes > 59 ||
    Number.isNaN(Date.parse(match[0]))
  ) {
    throw badUserInput(
      'DateTime',
      `A DateTime must be a real ISO-8601 date and time with a time zone between the years ${MIN_YEAR} and ${MAX_YEAR}, e.g. 2026-12-01T09:00:00Z.`,
    );
  }
  return new Date(match[0]);
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
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (match && isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]))) return match[0];
  throw badUserInput('Date', `A Date must be a real calendar day written YYYY-MM-DD, between the years ${MIN_YEAR} and ${MAX_YEAR}.`);
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
