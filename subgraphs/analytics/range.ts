import { GraphQLError } from 'graphql';
import { badUserInput } from '../../kernel/errors';
import { DateScalar } from '../../kernel/scalars';

/** The longest period analytics answers: a leap year, counting both ends. */
export const MAX_RANGE_DAYS = 366;

const DAY_MS = 86_400_000;

/** A validated period of whole UTC days: `[from 00:00Z, to + 1 day 00:00Z)`. */
export interface DateRange {
  from: string;
  to: string;
  /** First instant counted. */
  start: Date;
  /** First instant no longer counted (midnight after `to`). */
  end: Date;
  /** Days in the period, both ends included. */
  days: number;
}

/** The kernel's Date rule (a real calendar day, YYYY-MM-DD), reported against the argument's name. */
function calendarDay(field: 'from' | 'to', value: unknown): Date {
  try {
    return new Date(`${DateScalar.parseValue(value) as string}T00:00:00Z`);
  } catch (error) {
    if (error instanceof GraphQLError) {
      throw badUserInput(field, `\`${field}\` must be a real calendar day written YYYY-MM-DD, e.g. 2026-12-01.`);
    }
    throw error;
  }
}

/**
 * Checks a reporting period: both dates real days, `from` on or before `to`, at most
 * {@link MAX_RANGE_DAYS} days counting both ends. Dates are UTC days, the same for every caller.
 */
export function parseDateRange(from: unknown, to: unknown): DateRange {
  const start = calendarDay('from', from);
  const last = calendarDay('to', to);
  if (last < start) {
    throw badUserInput('to', `\`to\` (${String(to)}) must be on or after \`from\` (${String(from)}).`);
  }
  const days = Math.round((last.getTime() - start.getTime()) / DAY_MS) + 1;
  if (days > MAX_RANGE_DAYS) {
    throw badUserInput(
      'to',
      `The period may span at most ${MAX_RANGE_DAYS} days counting both ends; ${String(from)} to ${String(to)} spans ${days}.`,
    );
  }
  return { from: from as string, to: to as string, start, end: new Date(last.getTime() + DAY_MS), days };
}
