import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '../../kernel/logger';
import { createRedis, type Redis } from '../../kernel/redis';
import { WaitlistQueue, type QueueMember } from '../../subgraphs/waitlist/queue/queue';

/** The Redis mirror on the real Redis, with PostgreSQL's answer scripted so that races can be staged. */
describe('the waitlist mirror in Redis', () => {
  let redis: Redis;
  const logger = createLogger('silent');
  const sessionId = `s-mirror-${Date.now()}`;
  const member = (entryId: string, joinedAt: number, tier: QueueMember['tier'] = 'STANDARD'): QueueMember => ({
    entryId,
    sessionId,
    tier,
    joinedAt: new Date(joinedAt),
  });
  const row = (m: QueueMember) => ({ id: m.entryId, priority_tier: m.tier, joined_at: m.joinedAt });
  /** A stand-in ORM whose snapshot query runs `during` (once) before answering `rows()`. */
  const scriptedOrm = (rows: () => object[], during?: () => Promise<void>) => {
    let pending = during;
    return {
      em: {
        fork: () => ({
          execute: async () => {
            const snapshot = rows();
            const step = pending;
            pending = undefined;
            await step?.();
            return snapshot;
          },
        }),
      },
    } as unknown as MikroORM;
  };

  beforeAll(async () => {
    redis = await createRedis(process.env.REDIS_URL, { enableOfflineQueue: true });
    await redis.flushdb();
  });
  afterAll(() => redis.disconnect());

  it('never puts back an entry that left, even when its ZADD arrives after its ZREM', async () => {
    const a = member('00000000-0000-4000-8000-00000000000a', 1000);
    const b = member('00000000-0000-4000-8000-00000000000b', 2000);
    const queue = new WaitlistQueue({ redis, orm: scriptedOrm(() => [row(b)]), logger });
    await queue.apply(sessionId, { add: [b], remove: [], invalidate: false });
    // A was offered a seat right after joining, and the offer's after-commit step ran first.
    await queue.apply(sessionId, { add: [], remove: [a], invalidate: false });
    await queue.apply(sessionId, { add: [a], remove: [], invalidate: false });
    expect(await redis.zrange(`waitlist:session:${sessionId}:STANDARD`, 0, -1)).toEqual([b.entryId]);
  });

  it('retries a rebuild whose snapshot a change overtook, instead of writing the stale snapshot', async () => {
    const session = `${sessionId}-race`;
    const leaving = { ...member('00000000-0000-4000-8000-000000000001', 1000), sessionId: session };
    const staying = { ...member('00000000-0000-4000-8000-000000000002', 2000), sessionId: session };
    let database = [leaving, staying];
    // While the snapshot is read, the first person leaves: the commit and its mirror update land before the rebuild writes.
    const orm = scriptedOrm(
      () => database.map(row),
      async () => {
        database = [staying];
        await queue.apply(session, { add: [], remove: [leaving], invalidate: false });
      },
    );
    const queue = new WaitlistQueue({ redis, orm, logger });
    const positions = await queue.positions([{ entryId: staying.entryId, sessionId: session, tier: staying.tier }]);
    expect(positions.get(staying.entryId)).toBe(1);
    expect(await redis.zrange(`waitlist:session:${session}:STANDARD`, 0, -1)).toEqual([staying.entryId]);
  });

  it('ranks VIP, then PREMIUM, then STANDARD, by join time within a tier', async () => {
    const session = `${sessionId}-order`;
    const people = [
      member('00000000-0000-4000-8000-0000000000a1', 3000, 'STANDARD'),
      member('00000000-0000-4000-8000-0000000000a2', 1000, 'STANDARD'),
      member('00000000-0000-4000-8000-0000000000a3', 5000, 'VIP'),
      member('00000000-0000-4000-8000-0000000000a4', 4000, 'PREMIUM'),
      member('00000000-0000-4000-8000-0000000000a5', 2000, 'VIP'),
    ].map((m) => ({ ...m, sessionId: session }));
    const queue = new WaitlistQueue({ redis, orm: scriptedOrm(() => people.map(row)), logger });
    const positions = await queue.positions(people.map((m) => ({ entryId: m.entryId, sessionId: session, tier: m.tier })));
    expect(people.map((m) => positions.get(m.entryId))).toEqual([5, 4, 2, 3, 1]);
  });
});
