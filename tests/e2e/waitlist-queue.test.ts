import { pgArray } from '../../kernel/db/sql';
import { codesOf } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { eventually } from '../support/kafka';
import { addAttendees, asUser, ExtraWaitlistOps, resetWaitlist, WaitlistOps } from '../support/waitlist';
import { TcpProxy } from '../support/tcp-proxy';

describe('the waitlist queue through the gateway', () => {
  let stack: TestStack;
  let owner: ReturnType<typeof asUser>;

  beforeAll(async () => {
    stack = await startStack();
  });
  beforeEach(async () => {
    await resetWaitlist(stack);
    owner = asUser(stack, 'u-owner');
  });
  afterAll(() => stack.close());

  const join = async (userId: string, sessionId = 's-keynote') => {
    const response = await asUser(stack, userId)(WaitlistOps.JoinWaitlist, { sessionId });
    expect(response.errors).toBeUndefined();
    return response.data.joinWaitlist as { id: string; position: number | null; priorityTier: string; status: string };
  };
  const positionOf = async (userId: string, sessionId = 's-keynote') => {
    const response = await asUser(stack, userId)(WaitlistOps.MyWaitlistPosition, { sessionId });
    expect(response.errors).toBeUndefined();
    return response.data.myWaitlistPosition as { position: number | null; priorityTier: string; status: string };
  };
  const closeSession = async (sessionId = 's-keynote') => {
    const response = await owner(WaitlistOps.UpdateSessionCapacity, { sessionId, total: 0 });
    expect(response.errors).toBeUndefined();
  };

  it('serves VIP joiners before STANDARD ones who came earlier, and breaks ties by join time', async () => {
    await closeSession();
    const standard = await addAttendees(stack.runtime.orm, 'ev-private', 'std', 3, 'GENERAL');
    const vip = await addAttendees(stack.runtime.orm, 'ev-private', 'vip', 2, 'VIP');
    const premium = await addAttendees(stack.runtime.orm, 'ev-private', 'prm', 1, 'PREMIUM');

    const joined = [];
    for (const userId of [...standard, ...vip, ...premium]) joined.push(await join(userId));
    expect(joined.map((entry) => [entry.priorityTier, entry.status, entry.position])).toEqual([
      ['STANDARD', 'WAITING', 1],
      ['STANDARD', 'WAITING', 2],
      ['STANDARD', 'WAITING', 3],
      ['VIP', 'WAITING', 1],
      ['VIP', 'WAITING', 2],
      ['PREMIUM', 'WAITING', 3],
    ]);
    const order = [...vip, ...premium, ...standard];
    for (const [index, userId] of order.entries()) expect((await positionOf(userId)).position).toBe(index + 1);

    // Two new seats go to the two VIPs, in the order they joined; everyone else moves up two places.
    const raised = await owner(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-keynote', total: 2 });
    expect(raised.data.updateSessionCapacity).toEqual({ sessionId: 's-keynote', total: 2, used: 0, available: 2, waiting: 6 });
    expect(await positionOf(vip[0])).toMatchObject({ status: 'OFFERED', position: null });
    expect(await positionOf(vip[1])).toMatchObject({ status: 'OFFERED', position: null });
    expect(await positionOf(premium[0])).toMatchObject({ status: 'WAITING', position: 1, priorityTier: 'PREMIUM' });
    expect(await positionOf(standard[0])).toMatchObject({ status: 'WAITING', position: 2, priorityTier: 'STANDARD' });

    const list = await owner(WaitlistOps.SessionWaitlist, { sessionId: 's-keynote', first: 10 });
    expect(list.errors).toBeUndefined();
    expect(list.data.sessionWaitlist.edges.map((edge: any) => [edge.node.user.id, edge.node.status, edge.node.position])).toEqual([
      [vip[0], 'OFFERED', null],
      [vip[1], 'OFFERED', null],
      [premium[0], 'WAITING', 1],
      [standard[0], 'WAITING', 2],
      [standard[1], 'WAITING', 3],
      [standard[2], 'WAITING', 4],
    ]);
  });

  it('offers a free seat at once to a joiner with nobody waiting ahead', async () => {
    const entry = await join('u-guest', 's-workshop');
    expect(entry).toMatchObject({ status: 'OFFERED', position: null, priorityTier: 'STANDARD' });
    const vip = await join('u-vip', 's-workshop');
    expect(vip).toMatchObject({ status: 'OFFERED', priorityTier: 'VIP' });
  });

  it('refuses a second join of the same session with CONFLICT', async () => {
    await join('u-guest');
    const again = await asUser(stack, 'u-guest')(WaitlistOps.JoinWaitlist, { sessionId: 's-keynote' });
    expect(codesOf(again)).toEqual(['CONFLICT']);
  });

  it('offers the seat to the next person when a seat holder leaves, and an open offer when its holder is removed', async () => {
    await closeSession();
    const people = await addAttendees(stack.runtime.orm, 'ev-private', 'line', 4);
    const entries: { id: string }[] = [];
    for (const userId of people) entries.push(await join(userId));
    await owner(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-keynote', total: 1 });
    const first = asUser(stack, people[0]);
    const offer = await first(ExtraWaitlistOps.MyOffer, { sessionId: 's-keynote' });
    expect(offer.data.myWaitlistPosition).toMatchObject({ status: 'OFFERED', offerToken: expect.any(String) });
    const accepted = await first(WaitlistOps.AcceptWaitlistOffer, { token: offer.data.myWaitlistPosition.offerToken });
    expect(accepted.data.acceptWaitlistOffer).toEqual({ id: entries[0].id, status: 'ACCEPTED' });
    expect((await owner(WaitlistOps.SessionCapacity, { sessionId: 's-keynote' })).data.sessionCapacity).toEqual({
      sessionId: 's-keynote',
      total: 1,
      used: 1,
      available: 0,
      waiting: 3,
    });

    // The seat holder leaves: the seat goes to the next in line.
    expect((await first(WaitlistOps.LeaveWaitlist, { sessionId: 's-keynote' })).data.leaveWaitlist).toBe(true);
    expect(await positionOf(people[1])).toMatchObject({ status: 'OFFERED' });
    expect(await positionOf(people[2])).toMatchObject({ status: 'WAITING', position: 1 });

    // The organizer removes the open offer's holder: the offer goes to the next in line.
    const removed = await owner(WaitlistOps.RemoveFromWaitlist, { entryId: entries[1].id });
    expect(removed.data.removeFromWaitlist).toBe(true);
    expect(await positionOf(people[1])).toMatchObject({ status: 'REMOVED' });
    expect(await positionOf(people[2])).toMatchObject({ status: 'OFFERED' });
    expect(await positionOf(people[3])).toMatchObject({ status: 'WAITING', position: 1 });

    // Someone merely waiting leaves: nobody is offered anything.
    expect((await asUser(stack, people[3])(WaitlistOps.LeaveWaitlist, { sessionId: 's-keynote' })).data.leaveWaitlist).toBe(true);
    expect((await owner(WaitlistOps.SessionCapacity, { sessionId: 's-keynote' })).data.sessionCapacity).toMatchObject({
      used: 0,
      waiting: 1,
    });
    // A removed person cannot join again; someone who left can.
    expect(codesOf(await asUser(stack, people[1])(WaitlistOps.JoinWaitlist, { sessionId: 's-keynote' }))).toEqual(['FORBIDDEN']);
    expect(await join(people[3])).toMatchObject({ status: 'WAITING', position: 1 });
  });

  it('gives everyone the same position after a Redis FLUSHDB, and keeps counting from PostgreSQL', async () => {
    await closeSession();
    const standard = await addAttendees(stack.runtime.orm, 'ev-private', 'flush-std', 5);
    const vip = await addAttendees(stack.runtime.orm, 'ev-private', 'flush-vip', 3, 'VIP');
    const everyone = [...standard.slice(0, 3), ...vip, ...standard.slice(3)];
    for (const userId of everyone) await join(userId);
    const before = await Promise.all(everyone.map((userId) => positionOf(userId)));
    expect(before.map((entry) => entry.position)).toEqual([4, 5, 6, 1, 2, 3, 7, 8]);
    const keys = await stack.runtime.redis.keys('waitlist:session:s-keynote:*');
    expect(keys.sort()).toEqual(['waitlist:session:s-keynote:STANDARD', 'waitlist:session:s-keynote:VIP']);
    expect(await stack.runtime.redis.zcard('waitlist:session:s-keynote:STANDARD')).toBe(5);

    await stack.runtime.redis.flushdb();
    const after = await Promise.all(everyone.map((userId) => positionOf(userId)));
    expect(after).toEqual(before);
    expect(await stack.runtime.redis.zcard('waitlist:session:s-keynote:VIP')).toBe(3);

    // Changes after the flush land on the rebuilt queue.
    await stack.runtime.redis.flushdb();
    const late = await addAttendees(stack.runtime.orm, 'ev-private', 'flush-late', 1, 'VIP');
    expect(await join(late[0])).toMatchObject({ position: 4, priorityTier: 'VIP' });
    expect((await positionOf(standard[0])).position).toBe(5);
  });

  it('lets an organizer set a tier for one person or for the whole session', async () => {
    await closeSession();
    const people = await addAttendees(stack.runtime.orm, 'ev-private', 'tier', 3);
    for (const userId of people) await join(userId);
    const promoted = await owner(ExtraWaitlistOps.SetWaitlistTier, { sessionId: 's-keynote', userId: people[2], tier: 'VIP' });
    expect(promoted.data.setWaitlistTier).toEqual({ sessionId: 's-keynote', userId: people[2], tier: 'VIP' });
    expect(await positionOf(people[2])).toMatchObject({ priorityTier: 'VIP', position: 1 });
    expect((await positionOf(people[0])).position).toBe(2);

    // A session-wide PREMIUM tier lifts everyone without a personal choice above plain STANDARD, VIP stays first.
    await owner(ExtraWaitlistOps.SetWaitlistTier, { sessionId: 's-keynote', tier: 'PREMIUM' });
    expect(await positionOf(people[0])).toMatchObject({ priorityTier: 'PREMIUM', position: 2 });
    const newcomer = await join('u-guest');
    expect(newcomer).toMatchObject({ priorityTier: 'PREMIUM', position: 4 });
    // Clearing the personal choice: back to the session's tier, in join order.
    await owner(ExtraWaitlistOps.SetWaitlistTier, { sessionId: 's-keynote', userId: people[2], tier: null });
    expect(await positionOf(people[2])).toMatchObject({ priorityTier: 'PREMIUM', position: 3 });
    expect((await positionOf('u-guest')).position).toBe(4);
  });

  it('scores each Redis entry by its join time in milliseconds, live and after a rebuild (issue 16)', async () => {
    await closeSession();
    const people = await addAttendees(stack.runtime.orm, 'ev-private', 'score', 3);
    const entries: { id: string }[] = [];
    for (const userId of people) entries.push(await join(userId));
    const joinedAt = async () =>
      new Map(
        (
          await stack.runtime.orm.em
            .fork()
            .execute<{ id: string; ms: string }[]>(
              `select id, floor(extract(epoch from joined_at) * 1000)::bigint::text as ms from waitlist_entries where id = any(?::uuid[])`,
              [pgArray(entries.map((entry) => entry.id))],
            )
        ).map((row) => [row.id, Number(row.ms)]),
      );
    const expected = await joinedAt();
    const scores = async () =>
      Promise.all(entries.map(async (entry) => Number(await stack.runtime.redis.zscore('waitlist:session:s-keynote:STANDARD', entry.id))));
    expect(await scores()).toEqual(entries.map((entry) => expected.get(entry.id)));
    // Epoch milliseconds (not a counter or a rank), in join order.
    const values = await scores();
    expect(values[0]).toBeGreaterThan(1_700_000_000_000);
    expect([...values].sort((a, b) => a - b)).toEqual(values);
    await stack.runtime.redis.flushdb();
    await positionOf(people[0]); // rebuilds the mirror from PostgreSQL
    expect(await scores()).toEqual(entries.map((entry) => expected.get(entry.id)));
  });

  it('keeps a VIP ticket above a session default, which only lifts tickets without a tier (issue 16)', async () => {
    await closeSession();
    const [general] = await addAttendees(stack.runtime.orm, 'ev-private', 'prec-gen', 1);
    const [premium] = await addAttendees(stack.runtime.orm, 'ev-private', 'prec-prem', 1, 'PREMIUM');
    const [vip, vipLate] = await addAttendees(stack.runtime.orm, 'ev-private', 'prec-vip', 2, 'VIP');
    await owner(ExtraWaitlistOps.SetWaitlistTier, { sessionId: 's-keynote', tier: 'VIP' });
    // The session's VIP default lifts the GENERAL ticket, not the PREMIUM one (its ticket names a tier).
    expect(await join(general)).toMatchObject({ priorityTier: 'VIP' });
    expect(await join(premium)).toMatchObject({ priorityTier: 'PREMIUM' });
    await owner(ExtraWaitlistOps.SetWaitlistTier, { sessionId: 's-keynote', tier: 'PREMIUM' });
    // Re-resolved in bulk: GENERAL follows the default down, PREMIUM stays; a VIP ticket joins as VIP.
    expect(await positionOf(general)).toMatchObject({ priorityTier: 'PREMIUM' });
    expect(await join(vip)).toMatchObject({ priorityTier: 'VIP', position: 1 });
    // The person's own tier beats the ticket.
    await join(vipLate);
    await owner(ExtraWaitlistOps.SetWaitlistTier, { sessionId: 's-keynote', userId: vipLate, tier: 'STANDARD' });
    expect(await positionOf(vipLate)).toMatchObject({ priorityTier: 'STANDARD', position: 4 });
    // PREMIUM in join order: the GENERAL ticket (lifted) joined before the PREMIUM one.
    expect(await positionOf(general)).toMatchObject({ priorityTier: 'PREMIUM', position: 2 });
    expect(await positionOf(premium)).toMatchObject({ priorityTier: 'PREMIUM', position: 3 });
  });

  it('refuses a capacity below the seats taken, and counts outside 0..100000, naming the input', async () => {
    await owner(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-keynote', total: 1 });
    const entry = await join('u-guest');
    const offer = await asUser(stack, 'u-guest')(ExtraWaitlistOps.MyOffer, { sessionId: 's-keynote' });
    await asUser(stack, 'u-guest')(WaitlistOps.AcceptWaitlistOffer, { token: offer.data.myWaitlistPosition.offerToken });
    expect(entry.status).toBe('OFFERED');
    const lower = await owner(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-keynote', total: 0 });
    expect(codesOf(lower)).toEqual(['BAD_USER_INPUT']);
    expect(lower.errors![0].extensions!.field).toBe('total');
    expect(lower.errors![0].message).toMatch(/1 seats already taken/);
    const negative = await owner(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-keynote', total: -1 });
    expect(negative.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'total' });
    const bulk = await owner(WaitlistOps.BulkSendWaitlistOffers, { sessionId: 's-keynote', count: 0 });
    expect(bulk.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'count' });
  });

  it('keeps counting places from PostgreSQL while Redis is cut off, and rebuilds the mirror it missed updates of', async () => {
    const redisUrl = new URL(process.env.REDIS_URL!);
    const proxy = new TcpProxy('127.0.0.1', Number(redisUrl.port));
    await proxy.up();
    const cut = await startStack({ env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}${redisUrl.pathname}` } });
    try {
      const as = (userId: string) => asUser(cut, userId);
      const place = async (userId: string) =>
        (await as(userId)(WaitlistOps.MyWaitlistPosition, { sessionId: 's-keynote' })).data.myWaitlistPosition.position;
      await as('u-owner')(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-keynote', total: 0 });
      const [a, b, c] = await addAttendees(cut.runtime.orm, 'ev-private', 'cut', 3);
      for (const userId of [a, b, c]) await as(userId)(WaitlistOps.JoinWaitlist, { sessionId: 's-keynote' });
      expect(await place(c)).toBe(3);

      await proxy.down();
      // Redis is gone: the change commits, the mirror misses it, and places come from PostgreSQL.
      expect((await as(a)(WaitlistOps.LeaveWaitlist, { sessionId: 's-keynote' })).data.leaveWaitlist).toBe(true);
      expect(await place(c)).toBe(2);

      await proxy.up();
      await eventually(() => cut.runtime.redis.status === 'ready', 10_000, 'Redis to reconnect');
      // The mirror still lists the one who left; it must be rebuilt rather than trusted.
      expect(await place(c)).toBe(2);
      expect(await place(b)).toBe(1);
      expect(await cut.runtime.redis.zcard('waitlist:session:s-keynote:STANDARD')).toBe(2);
    } finally {
      await cut.close();
      await proxy.down();
    }
  });
});
