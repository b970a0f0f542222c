import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '../../kernel/logger';
import type { Redis } from '../../kernel/redis';
import { redisKeysOf } from '../../kernel/redis-keys';
import { WaitlistQueue, type QueueMember } from '../../subgraphs/waitlist/queue/queue';
import { emptyRedis, redisTargets } from '../support/redis-targets';

/** The Redis mirror on the real Redis, with PostgreSQL's answer scripted so that races can be staged. */
describe.each(redisTargets())('the waitlist mirror on %s', (_name, target) => {
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
    redis = await emptyRedis(target, { enableOfflineQueue: true });
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
    expect(await redis.zrange(redisKeysOf(redis).waitlistQueue(sessionId, 'STANDARD'), 0, -1)).toEqual([b.entryId]);
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
    expect(await redis.zrange(redisKeysOf(redis).waitlistQueue(session, 'STANDARD'), 0, -1)).toEqual([staying.entryId]);
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

  it('reads the positions of several sessions at once (on a cluster their keys live in different slots)', async () => {
    const sessions = [`${sessionId}-multi-a`, `${sessionId}-multi-b`, `${sessionId}-multi-c`];
    const people = sessions.flatMap((session, index) => [
      { ...member(`00000000-0000-4000-8000-0000000001${index}1`, 1000), sessionId: session },
      { ...member(`00000000-0000-4000-8000-0000000001${index}2`, 2000, 'VIP'), sessionId: session },
    ]);
    // PostgreSQL's answer per session: its own two people.
    const orm = {
      em: { fork: () => ({ execute: async (_sql: string, [session]: string[]) => people.filter((m) => m.sessionId === session).map(row) }) },
    } as unknown as MikroORM;
    const queue = new WaitlistQueue({ redis, orm, logger });
    const positions = await queue.positions(people.map((m) => ({ entryId: m.entryId, sessionId: m.sessionId, tier: m.tier })));
    expect(people.map((m) => positions.get(m.entryId))).toEqual([2, 1, 2, 1, 2, 1]);
  });

  it('names the keys as the plan does on one node, and puts a session\'s keys in one slot on a cluster', async () => {
    const keys = redisKeysOf(redis);
    const session = 'abc-123';
    const named = [
      keys.waitlistQueue(session, 'VIP'),
      keys.waitlistQueue(session, 'STANDARD'),
      keys.waitlistBuilt(session),
      keys.waitlistVersion(session),
      keys.waitlistGone(session, 'entry-1'),
    ];
    if (!redis.isCluster) {
      expect(named).toEqual([
        'waitlist:session:abc-123:VIP',
        'waitlist:session:abc-123:STANDARD',
        'waitlist:meta:abc-123:built',
        'waitlist:meta:abc-123:version',
        'waitlist:gone:entry-1',
      ]);
      return;
    }
    expect(named[0]).toBe('waitlist:session:{abc-123}:VIP');
    const slots = await Promise.all(named.map((key) => redis.cluster('KEYSLOT', key)));
    expect(new Set(slots).size).toBe(1);
  });
});
