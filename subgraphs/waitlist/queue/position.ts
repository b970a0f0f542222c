import type { PriorityTier } from '../entities/waitlist-entry';
import { TIER_RANK, tierRankSql, tiersAhead } from './tiers';

/**
 * The one home of "a person's place in line": WAITING entries are served by tier (VIP, PREMIUM,
 * STANDARD), then by join time, then by entry id. The same order three ways: in TypeScript, in SQL
 * (PostgreSQL, the truth) and from the Redis mirror's ranks (tests/unit/waitlist-position.test.ts
 * checks that they agree).
 */
export interface QueuePlace {
  id: string;
  tier: PriorityTier;
  joinedAt: Date;
}

/** Whether `a` is served before `b`. */
export function servedBefore(a: QueuePlace, b: QueuePlace): boolean {
  if (TIER_RANK[a.tier] !== TIER_RANK[b.tier]) return TIER_RANK[a.tier] < TIER_RANK[b.tier];
  if (a.joinedAt.getTime() !== b.joinedAt.getTime()) return a.joinedAt < b.joinedAt;
  return a.id < b.id;
}

/** 1-based place of `entry` among the session's WAITING entries `waiting`. */
export function positionAmong(entry: QueuePlace, waiting: readonly QueuePlace[]): number {
  return waiting.filter((other) => other.id !== entry.id && servedBefore(other, entry)).length + 1;
}

/**
 * 1-based place from the Redis mirror: the entry's rank in its tier's sorted set plus the sizes of
 * the sets of the tiers served before it.
 */
export function positionFromRanks(tier: PriorityTier, rankInTier: number, sizeOf: (tier: PriorityTier) => number): number {
  return tiersAhead(tier).reduce((sum, ahead) => sum + sizeOf(ahead), 0) + rankInTier + 1;
}

/** SQL: `waitlist_entries` row `other` is served before row `entry`. */
export const servedBeforeSql = (other: string, entry: string): string =>
  `(${tierRankSql(other)}, ${other}.joined_at, ${other}.id) < (${tierRankSql(entry)}, ${entry}.joined_at, ${entry}.id)`;

/** SQL: the 1-based place of the WAITING `waitlist_entries` row `entry`. */
export const positionSql = (entry: string): string =>
  `((select count(*) from waitlist_entries o
      where o.session_id = ${entry}.session_id and o.status = 'WAITING' and ${servedBeforeSql('o', entry)}) + 1)`;

/**
 * SQL: row `other` would be served before someone joining now in the tier whose rank is the
 * expression `tierRank` (everyone waiting in that tier or a tier before it joined earlier).
 */
export const servedBeforeNewcomerSql = (other: string, tierRank: string): string => `${tierRankSql(other)} <= ${tierRank}`;
