import type { EntityManager } from '@mikro-orm/postgresql';

/** Keys of `live_versions`, one per thing a snapshot feed reads as a whole. */
export const LiveVersionKeys = {
  waitlistSession: (sessionId: string) => `waitlist:session:${sessionId}`,
} as const;

/**
 * Counts one more committed transaction of `key`, inside that transaction, and returns its
 * version. The row stays locked until the commit, so a key's versions follow its commit order: a
 * snapshot that reads version N sees every transaction numbered up to N and none after.
 */
export async function bumpLiveVersion(tx: EntityManager, key: string): Promise<number> {
  const [row] = await tx.execute<{ version: string }[]>(
    `insert into live_versions (key, version) values (?, 1)
     on conflict (key) do update set version = live_versions.version + 1
     returning version`,
    [key],
  );
  return Number(row.version);
}
