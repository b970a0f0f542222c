/**
 * Every Redis key name of the system, in one place, for one node and for a cluster (the mapping is
 * documented in docs/redis-keys.md for the services that read these keys).
 *
 * On a cluster a Lua script or a transaction may only touch keys of one hash slot, so the keys a
 * script uses together share a hash tag (`{…}`: only the part inside the braces is hashed). Where
 * the tag would change a key the plan fixed (`waitlist:session:<sessionId>:<tier>`), one node keeps
 * the plan's exact name and only a cluster uses the tagged form.
 */
export interface RedisKeys {
  /** Whether these are the cluster's (hash-tagged) names. */
  readonly cluster: boolean;
  /** One fixed-window counter per limited action and caller (a single-key script: no tag needed). */
  rateLimit(action: string, subject: string): string;
  /** Impressions of one ad by one user; tagged by user everywhere, as one script reads all of a user's ads. */
  adFrequency(userId: string, adId: string): string;
  /** Marks an anonymous viewer's counted impression of an ad for the window (single key). */
  anonymousImpression(adId: string, viewer: string): string;
  /** The waitlist mirror: one sorted set per session and tier, scored by join time (the plan's key). */
  waitlistQueue(sessionId: string, tier: string): string;
  /** Present while the session's sorted sets mirror PostgreSQL. */
  waitlistBuilt(sessionId: string): string;
  /** Bumped by every change of the session's mirror. */
  waitlistVersion(sessionId: string): string;
  /** Set once an entry of the session left the line. */
  waitlistGone(sessionId: string, entryId: string): string;
  /** BullMQ's key prefix: every key of a queue must share a slot, so a cluster tags the prefix. */
  bullPrefix: string;
}

const SINGLE: RedisKeys = {
  cluster: false,
  rateLimit: (action, subject) => `ratelimit:${action}:${subject}`,
  adFrequency: (userId, adId) => `ads:freq:{${userId}}:${adId}`,
  anonymousImpression: (adId, viewer) => `ads:anon-impression:${adId}:${viewer}`,
  waitlistQueue: (sessionId, tier) => `waitlist:session:${sessionId}:${tier}`,
  waitlistBuilt: (sessionId) => `waitlist:meta:${sessionId}:built`,
  waitlistVersion: (sessionId) => `waitlist:meta:${sessionId}:version`,
  waitlistGone: (_sessionId, entryId) => `waitlist:gone:${entryId}`,
  bullPrefix: 'bull',
};

const CLUSTER: RedisKeys = {
  ...SINGLE,
  cluster: true,
  waitlistQueue: (sessionId, tier) => `waitlist:session:{${sessionId}}:${tier}`,
  waitlistBuilt: (sessionId) => `waitlist:meta:{${sessionId}}:built`,
  waitlistVersion: (sessionId) => `waitlist:meta:{${sessionId}}:version`,
  waitlistGone: (sessionId, entryId) => `waitlist:gone:{${sessionId}}:${entryId}`,
  bullPrefix: '{bull}',
};

/** The key names for a connection: ioredis's Cluster client says `isCluster`. */
export function redisKeysOf(redis: { isCluster?: boolean } | undefined): RedisKeys {
  return redis?.isCluster === true ? CLUSTER : SINGLE;
}

/** The key names for a deployment's settings (before any connection exists). */
export function redisKeysFor(settings: { cluster?: unknown }): RedisKeys {
  return settings.cluster ? CLUSTER : SINGLE;
}
