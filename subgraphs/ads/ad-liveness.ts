import type { Ad } from './entities/ad';

/**
 * The one home of "an ad is live": active and inside its schedule, as a TypeScript predicate and as
 * the SQL that says the same of a row (tests/unit/ad-liveness.test.ts runs both on the same rows).
 */
export function isLive(ad: Pick<Ad, 'isActive' | 'startsAt' | 'endsAt'>, now = new Date()): boolean {
  if (!ad.isActive) return false;
  if (ad.startsAt && ad.startsAt > now) return false;
  return !(ad.endsAt && ad.endsAt <= now);
}

/**
 * The same rule as an SQL condition on the `ads` row named `row`; `now` is an SQL expression (a
 * placeholder, `now()` or a literal) that appears twice.
 */
export const liveAdSql = (row: string, now: string): string =>
  `(${row}.is_active and (${row}.starts_at is null or ${row}.starts_at <= ${now}) and (${row}.ends_at is null or ${row}.ends_at > ${now}))`;
