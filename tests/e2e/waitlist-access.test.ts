import { LiveChannels } from '../../kernel/live/live-events';
import { createRedis } from '../../kernel/redis';
import { codesOf, graphql } from '../support/graphql';
import { eventually } from '../support/kafka';
import { startStack, type TestStack } from '../support/stack';
import { asUser, ExtraWaitlistOps, resetWaitlist, WaitlistOps } from '../support/waitlist';

describe('who may do what on a waitlist, through the gateway', () => {
  let stack: TestStack;
  let guestEntry: string;
  let vipEntry: string;

  beforeAll(async () => {
    stack = await startStack();
    await resetWaitlist(stack);
    // s-keynote has no seat free: u-guest and u-vip (attendees of the private event) wait.
    await asUser(stack, 'u-owner')(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-keynote', total: 0 });
    guestEntry = (await asUser(stack, 'u-guest')(WaitlistOps.JoinWaitlist, { sessionId: 's-keynote' })).data.joinWaitlist.id;
    vipEntry = (await asUser(stack, 'u-vip')(WaitlistOps.JoinWaitlist, { sessionId: 's-keynote' })).data.joinWaitlist.id;
  });
  afterAll(() => stack.close());

  const entryRow = async (id: string) =>
    (await stack.runtime.orm.em.fork().execute<{ status: string }[]>(`select status from waitlist_entries where id = ?`, [id]))[0];
  const capacityRow = async () =>
    (await stack.runtime.orm.em.fork().execute<{ total: number; default_tier: string | null }[]>(
      `select total, default_tier from session_capacities where session_id = 's-keynote'`,
    ))[0];

  /** Every organizer-only operation, with variables aimed at the private event's keynote. */
  const organizerOnly = () => [
    { name: 'list', op: WaitlistOps.SessionWaitlist, variables: { sessionId: 's-keynote' } },
    { name: 'send', op: WaitlistOps.SendWaitlistOffer, variables: { entryId: vipEntry } },
    { name: 'bulk send', op: WaitlistOps.BulkSendWaitlistOffers, variables: { sessionId: 's-keynote', count: 1 } },
    { name: 'remove', op: WaitlistOps.RemoveFromWaitlist, variables: { entryId: vipEntry } },
    { name: 'change capacity', op: WaitlistOps.UpdateSessionCapacity, variables: { sessionId: 's-keynote', total: 50 } },
    { name: 'set a tier', op: ExtraWaitlistOps.SetWaitlistTier, variables: { sessionId: 's-keynote', userId: 'u-guest', tier: 'VIP' } },
  ];

  it('refuses attendees every organizer operation with FORBIDDEN, and changes nothing', async () => {
    for (const { name, op, variables } of organizerOnly()) {
      const response = await asUser(stack, 'u-guest')(op, variables);
      expect([name, codesOf(response)]).toEqual([name, ['FORBIDDEN']]);
      expect(response.data?.sessionWaitlist ?? response.data?.updateSessionCapacity ?? null).toBeNull();
    }
    expect(await entryRow(vipEntry)).toEqual({ status: 'WAITING' });
    expect(await capacityRow()).toEqual({ total: 0, default_tier: null });
  });

  it('answers NOT_FOUND to callers who cannot see the event, and UNAUTHENTICATED to anonymous ones', async () => {
    for (const { name, op, variables } of organizerOnly()) {
      const outsider = await asUser(stack, 'u-outsider')(op, variables);
      expect([name, codesOf(outsider)]).toEqual([name, ['NOT_FOUND']]);
      const anonymous = await graphql(stack.gatewayUrl, op, { variables });
      expect([name, codesOf(anonymous)]).toEqual([name, ['UNAUTHENTICATED']]);
    }
    expect(await entryRow(vipEntry)).toEqual({ status: 'WAITING' });
    expect(codesOf(await asUser(stack, 'u-outsider')(WaitlistOps.JoinWaitlist, { sessionId: 's-keynote' }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await asUser(stack, 'u-outsider')(WaitlistOps.MyWaitlistPosition, { sessionId: 's-keynote' }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await graphql(stack.gatewayUrl, WaitlistOps.JoinWaitlist, { variables: { sessionId: 's-open' } }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('shows attendees their own entry only, and its offer token to nobody else', async () => {
    const guest = await asUser(stack, 'u-guest')(ExtraWaitlistOps.MyOffer, { sessionId: 's-keynote' });
    expect(guest.data.myWaitlistPosition).toEqual({ id: guestEntry, status: 'WAITING', position: 2, offerToken: null, offerExpiresAt: null });
    const vip = await asUser(stack, 'u-vip')(WaitlistOps.MyWaitlistPosition, { sessionId: 's-keynote' });
    expect(vip.data.myWaitlistPosition).toEqual({ position: 1, priorityTier: 'VIP', status: 'WAITING', offerExpiresAt: null });

    // The organizer offers u-vip the seat: u-vip sees the token, the organizer sees the entry but not the token.
    const owner = asUser(stack, 'u-owner');
    await owner(ExtraWaitlistOps.HoldSeats, { sessionId: 's-keynote', total: 1 });
    expect((await owner(WaitlistOps.SendWaitlistOffer, { entryId: vipEntry })).errors).toBeUndefined();
    const mine = await asUser(stack, 'u-vip')(ExtraWaitlistOps.MyOffer, { sessionId: 's-keynote' });
    expect(mine.data.myWaitlistPosition.offerToken).toMatch(/^wlo1\./);
    const listed = await owner(`query { sessionWaitlist(sessionId: "s-keynote") { edges { node { id offerToken user { id } } } } }`);
    expect(listed.data.sessionWaitlist.edges.map((edge: any) => edge.node)).toEqual([
      { id: vipEntry, offerToken: null, user: { id: 'u-vip' } },
      { id: guestEntry, offerToken: null, user: { id: 'u-guest' } },
    ]);
    // u-guest, holding u-vip's token, cannot take the seat.
    const stolen = await asUser(stack, 'u-guest')(WaitlistOps.AcceptWaitlistOffer, { token: mine.data.myWaitlistPosition.offerToken });
    expect(codesOf(stolen)).toEqual(['FORBIDDEN']);
    expect(await entryRow(vipEntry)).toEqual({ status: 'OFFERED' });
  });

  it('lets anyone signed in join a public event, but not an organizer who is no attendee of a private one', async () => {
    const outsiderOwner = await asUser(stack, 'u-owner')(WaitlistOps.JoinWaitlist, { sessionId: 's-open' });
    expect(outsiderOwner.data.joinWaitlist).toMatchObject({ priorityTier: 'STANDARD', status: 'OFFERED' });
    expect(codesOf(await asUser(stack, 'u-staff')(WaitlistOps.JoinWaitlist, { sessionId: 's-keynote' }))).toEqual(['FORBIDDEN']);
    expect(codesOf(await asUser(stack, 'u-guest')(WaitlistOps.JoinWaitlist, { sessionId: 'no-such-session' }))).toEqual(['NOT_FOUND']);
    expect(codesOf(await asUser(stack, 'u-owner')(WaitlistOps.RemoveFromWaitlist, { entryId: 'not-an-id' }))).toEqual(['NOT_FOUND']);
  });

  it('publishes a WaitlistChange on the live channel after each committed change, and none for a refused one', async () => {
    const subscriber = await createRedis(process.env.REDIS_URL, { enableOfflineQueue: true });
    const received: { kinds: string[]; sessionId: string; eventId: string; version: number }[] = [];
    try {
      await subscriber.subscribe(LiveChannels.waitlistSession('s-workshop'));
      subscriber.on('message', (_channel, message) => received.push(JSON.parse(message)));
      const staff = asUser(stack, 'u-staff');
      await staff(ExtraWaitlistOps.HoldSeats, { sessionId: 's-workshop', total: 0 });
      await asUser(stack, 'u-guest')(WaitlistOps.JoinWaitlist, { sessionId: 's-workshop' });
      expect(codesOf(await asUser(stack, 'u-guest')(WaitlistOps.JoinWaitlist, { sessionId: 's-workshop' }))).toEqual(['CONFLICT']);
      await staff(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-workshop', total: 1 });
      await asUser(stack, 'u-guest')(WaitlistOps.LeaveWaitlist, { sessionId: 's-workshop' });
      // One message per committed transaction, with every change it made and its version (issue 15).
      await eventually(() => received.length >= 4, 5000, 'four live messages');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received.map((change) => change.kinds)).toEqual([['capacity'], ['joined'], ['capacity', 'offered'], ['left']]);
      const versions = received.map((change) => change.version);
      expect(versions).toEqual([versions[0], versions[0] + 1, versions[0] + 2, versions[0] + 3]);
      expect(received.every((change) => change.sessionId === 's-workshop' && change.eventId === 'ev-private')).toBe(true);
    } finally {
      subscriber.disconnect();
    }
  });
});
