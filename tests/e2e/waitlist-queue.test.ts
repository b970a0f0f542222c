import { codesOf } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { addAttendees, asUser, ExtraWaitlistOps, resetWaitlist, WaitlistOps } from '../support/waitlist';

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
});
