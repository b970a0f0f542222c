import type { PGlite } from '@electric-sql/pglite';
import { inProcessPostgres } from '../support/pglite';
import { PRIORITY_TIERS, type PriorityTier } from '../../subgraphs/waitlist/entities/waitlist-entry';
import {
  positionAmong,
  positionFromRanks,
  positionSql,
  servedBefore,
  servedBeforeNewcomerSql,
  type QueuePlace,
} from '../../subgraphs/waitlist/queue/position';
import { TIER_RANK } from '../../subgraphs/waitlist/queue/tiers';

const BASE = Date.parse('2026-06-01T12:00:00.000Z');
/** Thirty people in one session: tiers in turn, join times that repeat (ties break by id). */
const waiting: QueuePlace[] = Array.from({ length: 30 }, (_, index) => ({
  id: `00000000-0000-4000-8000-${String((index * 7919) % 1000).padStart(12, '0')}`,
  tier: PRIORITY_TIERS[index % 3],
  joinedAt: new Date(BASE + (index % 10) * 1000),
}));

describe('waitlist position: TypeScript, SQL and the Redis ranks agree', () => {
  let db: PGlite;

  beforeAll(async () => {
    db = await inProcessPostgres();
    await db.exec(`create table waitlist_entries (id uuid primary key, session_id text not null, status text not null,
      priority_tier text not null, joined_at timestamptz not null)`);
    for (const entry of waiting) {
      await db.query(`insert into waitlist_entries values ($1, 's-1', 'WAITING', $2, $3)`, [entry.id, entry.tier, entry.joinedAt]);
    }
    // Someone who left and someone on another session count for nobody's place.
    await db.query(`insert into waitlist_entries values ($1, 's-1', 'LEFT', 'VIP', $2)`, ['00000000-0000-4000-9000-000000000001', new Date(BASE - 1000)]);
    await db.query(`insert into waitlist_entries values ($1, 's-2', 'WAITING', 'VIP', $2)`, ['00000000-0000-4000-9000-000000000002', new Date(BASE - 1000)]);
  });

  afterAll(() => db.close());

  it('gives every waiting person the same place in SQL as in TypeScript, 1 to n without gaps', async () => {
    const { rows } = await db.query<{ id: string; position: number }>(
      `select e.id, ${positionSql('e')}::int as position from waitlist_entries e where e.session_id = 's-1' and e.status = 'WAITING'`,
    );
    const fromSql = new Map(rows.map((row) => [row.id, row.position]));
    const fromTypeScript = new Map(waiting.map((entry) => [entry.id, positionAmong(entry, waiting)]));
    expect(fromSql).toEqual(fromTypeScript);
    expect([...fromSql.values()].sort((a, b) => a - b)).toEqual(waiting.map((_, index) => index + 1));
  });

  it('gives the same place from the ranks the Redis mirror keeps (one sorted set per tier)', () => {
    const ordered = [...waiting].sort((a, b) => (servedBefore(a, b) ? -1 : 1));
    const byTier = (tier: PriorityTier) => ordered.filter((entry) => entry.tier === tier);
    for (const entry of waiting) {
      const rank = byTier(entry.tier).findIndex((other) => other.id === entry.id);
      expect(positionFromRanks(entry.tier, rank, (tier) => byTier(tier).length)).toBe(positionAmong(entry, waiting));
    }
  });

  it.each(PRIORITY_TIERS)('counts who is ahead of a newcomer in tier %s as the TypeScript order does', async (tier) => {
    const { rows } = await db.query<{ ahead: number }>(
      `select count(*)::int as ahead from waitlist_entries e where e.session_id = 's-1' and e.status = 'WAITING' and ${servedBeforeNewcomerSql('e', '$1')}`,
      [TIER_RANK[tier]],
    );
    const newcomer: QueuePlace = { id: 'ffffffff-ffff-4fff-bfff-ffffffffffff', tier, joinedAt: new Date(BASE + 3_600_000) };
    expect(rows[0].ahead).toBe(positionAmong(newcomer, waiting) - 1);
  });
});
