import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../../kernel/logger';
import type { Redis } from '../../../kernel/redis';
import { redisKeysOf, type RedisKeys } from '../../../kernel/redis-keys';
import { PRIORITY_TIERS, type PriorityTier } from '../entities/waitlist-entry';
import { positionFromRanks } from './position';
import { TIER_RANK } from './tiers';

/*
 * Keys (kernel/redis-keys.ts names them; on a cluster they share the session's hash tag, as the
 * scripts below need): the contract's sorted set per session and tier, scored by join time in ms;
 * `built`, present while the session's sets mirror PostgreSQL (absent after a flush or eviction, or
 * when its TTL lapses); `version`, bumped by every change, so that a rebuild from an older snapshot of
 * PostgreSQL does not overwrite it; and `gone`, set when an entry leaves the line. An entry never
 * waits again once it stopped (a rejoin is a new entry), so a late ZADD of it, from a request whose
 * after-commit step ran behind a later change, is dropped.
 */
const GONE_TTL_SECONDS = 3600;

export interface QueueMember {
  entryId: string;
  sessionId: string;
  tier: PriorityTier;
  joinedAt: Date;
}

export interface QueueChanges {
  add: QueueMember[];
  remove: QueueMember[];
  /** Drop the mirror of the session, so that the next reader rebuilds it (after changes too wide to replay). */
  invalidate: boolean;
}

/**
 * Replaces the session's sorted sets with a snapshot, unless a change was applied since the snapshot
 * was taken (the version moved): the caller then takes a new snapshot.
 * KEYS: version, built, VIP, PREMIUM, STANDARD. ARGV: expected version, built TTL, then (tier index, score, member)*.
 */
const REBUILD_SCRIPT = `
if (redis.call('get', KEYS[1]) or '') ~= ARGV[1] then return 0 end
redis.call('del', KEYS[3], KEYS[4], KEYS[5])
for i = 3, #ARGV, 3 do
  redis.call('zadd', KEYS[3 + tonumber(ARGV[i])], ARGV[i + 1], ARGV[i + 2])
end
redis.call('set', KEYS[2], '1', 'EX', tonumber(ARGV[2]))
return 1
`;

/**
 * Applies committed changes in one step. KEYS: version, built, then (sorted set, gone marker) per
 * change. ARGV: invalidate (1/0), gone TTL, then (add|rem, score, entry id) per change.
 */
const APPLY_SCRIPT = `
for i = 0, (#ARGV - 2) / 3 - 1 do
  local kind, score, member = ARGV[3 + i * 3], ARGV[4 + i * 3], ARGV[5 + i * 3]
  local zset, gone = KEYS[3 + i * 2], KEYS[4 + i * 2]
  if kind == 'rem' then
    redis.call('zrem', zset, member)
    redis.call('set', gone, '1', 'EX', tonumber(ARGV[2]))
  elseif redis.call('exists', gone) == 0 then
    redis.call('zadd', zset, score, member)
  end
end
if ARGV[1] == '1' then redis.call('del', KEYS[2]) end
redis.call('incr', KEYS[1])
return 1
`;

export interface WaitlistQueueOptions {
  redis: Redis;
  orm: MikroORM;
  logger: Logger;
  /** How long a mirror is trusted before it is rebuilt anyway, bounding the damage of a lost update. */
  builtTtlSeconds?: number;
}

/**
 * The Redis mirror of who waits where. PostgreSQL holds the truth (WAITING entries); this class keeps
 * one sorted set per session and tier in step after each commit, and rebuilds a session's sets from
 * PostgreSQL whenever its marker is missing, so a FLUSHDB costs one query, never anyone's place.
 * Positions come from ZRANK and ZCARD (see position.ts).
 */
export class WaitlistQueue {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly builtTtlSeconds: number;
  /** Sessions whose mirror missed an update while Redis failed, and whose marker could not be dropped yet. */
  private readonly dirty = new Set<string>();

  constructor(private readonly options: WaitlistQueueOptions) {
    this.redis = options.redis;
    this.keys = redisKeysOf(options.redis);
    this.builtTtlSeconds = options.builtTtlSeconds ?? 600;
  }

  /** Mirrors committed changes. Never throws: on failure the mirror is dropped so that it is rebuilt. */
  async apply(sessionId: string, changes: QueueChanges): Promise<void> {
    try {
      const keys = [this.keys.waitlistVersion(sessionId), this.keys.waitlistBuilt(sessionId)];
      const args: (string | number)[] = [changes.invalidate ? 1 : 0, GONE_TTL_SECONDS];
      const ops = [
        ...changes.remove.map((member) => ['rem', member] as const),
        ...changes.add.map((member) => ['add', member] as const),
      ];
      for (const [kind, member] of ops) {
        keys.push(this.keys.waitlistQueue(sessionId, member.tier), this.keys.waitlistGone(sessionId, member.entryId));
        args.push(kind, member.joinedAt.getTime(), member.entryId);
      }
      await this.redis.eval(APPLY_SCRIPT, keys.length, ...keys, ...args);
    } catch (error) {
      this.options.logger.warn({ err: error, sessionId }, 'waitlist mirror update failed; it will be rebuilt from PostgreSQL');
      this.dirty.add(sessionId);
      await this.dropDirtyMarkers().catch(() => undefined);
    }
  }

  /**
   * Drops the markers of mirrors that missed an update, once Redis answers again, so that they are
   * rebuilt rather than trusted until their TTL. Called before every read and by the sweeper.
   */
  async dropDirtyMarkers(): Promise<void> {
    if (this.dirty.size === 0) return;
    const sessions = [...this.dirty];
    // One DEL per session: on a cluster the sessions' markers live in different slots.
    await Promise.all(sessions.map((sessionId) => this.redis.del(this.keys.waitlistBuilt(sessionId))));
    for (const sessionId of sessions) this.dirty.delete(sessionId);
  }

  /**
   * 1-based positions of WAITING entries, by entry id (null when Redis does not know the entry even
   * after a rebuild). Throws when Redis is unreachable; callers fall back to PostgreSQL.
   */
  async positions(members: Pick<QueueMember, 'entryId' | 'sessionId' | 'tier'>[]): Promise<Map<string, number | null>> {
    await this.dropDirtyMarkers();
    const sessions = [...new Set(members.map((member) => member.sessionId))];
    await Promise.all(sessions.map((sessionId) => this.ensureBuilt(sessionId)));
    let result = await this.readPositions(members);
    const stale = [...new Set(members.filter((member) => result.get(member.entryId) === null).map((member) => member.sessionId))];
    if (stale.length > 0) {
      // PostgreSQL says these people wait but the mirror lacks them: it missed an update. Rebuild and read again.
      this.options.logger.warn({ sessions: stale }, 'waitlist mirror was missing entries; rebuilding');
      await Promise.all(stale.map((sessionId) => this.rebuild(sessionId)));
      result = new Map([...result, ...(await this.readPositions(members.filter((member) => stale.includes(member.sessionId))))]);
    }
    return result;
  }

  /** Rebuilds the session's sorted sets from PostgreSQL when the marker says they are not trustworthy. */
  async ensureBuilt(sessionId: string): Promise<void> {
    if ((await this.redis.exists(this.keys.waitlistBuilt(sessionId))) === 1) return;
    await this.rebuild(sessionId);
  }

  /** Replaces the session's sorted sets with the WAITING entries of PostgreSQL. */
  async rebuild(sessionId: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const version = (await this.redis.get(this.keys.waitlistVersion(sessionId))) ?? '';
      const rows = await this.options.orm.em.fork().execute<{ id: string; priority_tier: PriorityTier; joined_at: Date }[]>(
        `select id, priority_tier, joined_at from waitlist_entries where session_id = ? and status = 'WAITING'`,
        [sessionId],
      );
      const args: (string | number)[] = [version, this.builtTtlSeconds];
      for (const row of rows) args.push(TIER_RANK[row.priority_tier], new Date(row.joined_at).getTime(), row.id);
      const keys = [this.keys.waitlistVersion(sessionId), this.keys.waitlistBuilt(sessionId), ...PRIORITY_TIERS.map((tier) => this.keys.waitlistQueue(sessionId, tier))];
      const done = await this.redis.eval(REBUILD_SCRIPT, keys.length, ...keys, ...args);
      if (done === 1) return;
    }
    // Changes keep landing between snapshot and write; the next reader tries again.
    this.options.logger.warn({ sessionId }, 'waitlist mirror rebuild kept racing with changes; deferred');
  }

  /**
   * Positions from ZCARD of each tier and ZRANK of each member: one pipeline per session, as a
   * cluster sends a pipeline to one node and a session's keys share one slot.
   */
  private async readPositions(
    members: Pick<QueueMember, 'entryId' | 'sessionId' | 'tier'>[],
  ): Promise<Map<string, number | null>> {
    const sessions = [...new Set(members.map((member) => member.sessionId))];
    const bySession = await Promise.all(
      sessions.map((sessionId) => this.readSessionPositions(sessionId, members.filter((member) => member.sessionId === sessionId))),
    );
    return new Map(bySession.flatMap((positions) => [...positions]));
  }

  private async readSessionPositions(
    sessionId: string,
    members: Pick<QueueMember, 'entryId' | 'tier'>[],
  ): Promise<Map<string, number | null>> {
    const pipeline = this.redis.pipeline();
    for (const tier of PRIORITY_TIERS) pipeline.zcard(this.keys.waitlistQueue(sessionId, tier));
    for (const member of members) pipeline.zrank(this.keys.waitlistQueue(sessionId, member.tier), member.entryId);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed) throw failed[0];
    const sizes = new Map(PRIORITY_TIERS.map((tier, index) => [tier, Number(results[index][1])]));
    const positions = new Map<string, number | null>();
    members.forEach((member, index) => {
      const rank = results[PRIORITY_TIERS.length + index][1] as number | null;
      positions.set(
        member.entryId,
        rank === null ? null : positionFromRanks(member.tier, rank, (tier) => sizes.get(tier) ?? 0),
      );
    });
    return positions;
  }
}
