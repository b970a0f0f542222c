import { codesOf } from '../support/graphql';
import { sweepExpiredOffers } from '../../subgraphs/waitlist/sweeper';
import type { WaitlistServices } from '../../subgraphs/waitlist/services';
import { eventually } from '../support/timing';
import { startStack, type TestStack } from '../support/stack';
import {
  addAttendees,
  addSession,
  asUser,
  ExtraWaitlistOps,
  outboxOffers,
  resetWaitlist,
  testOfferTokens,
  WaitlistOps,
} from '../support/waitlist';

describe('waitlist offers and their tokens through the gateway', () => {
  let stack: TestStack;
  let owner: ReturnType<typeof asUser>;

  beforeAll(async () => {
    // A fast sweeper, so that expired offers are swept within the test.
    stack = await startStack({ env: { WAITLIST_SWEEP_INTERVAL_MS: '100' } });
  });
  beforeEach(async () => {
    await resetWaitlist(stack);
    owner = asUser(stack, 'u-owner');
  });
  afterAll(() => stack.close());

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    stack.runtime.orm.em.fork().execute<T[]>(text, params);

  /** `count` attendees waiting on a fresh session of ev-private with no seat free. */
  async function waitingLine(sessionId: string, count: number, prefix = sessionId): Promise<{ users: string[]; entryIds: string[] }> {
    await addSession(stack.runtime.orm, 'ev-private', sessionId, 0);
    const users = await addAttendees(stack.runtime.orm, 'ev-private', prefix, count);
    const entryIds: string[] = [];
    for (const userId of users) {
      const response = await asUser(stack, userId)(WaitlistOps.JoinWaitlist, { sessionId });
      expect(response.data.joinWaitlist.status).toBe('WAITING');
      entryIds.push(response.data.joinWaitlist.id);
    }
    return { users, entryIds };
  }

  const tokenOf = async (userId: string, sessionId: string): Promise<string> => {
    const response = await asUser(stack, userId)(ExtraWaitlistOps.MyOffer, { sessionId });
    expect(response.data.myWaitlistPosition.status).toBe('OFFERED');
    return response.data.myWaitlistPosition.offerToken;
  };

  it('seats exactly 5 of 50 concurrent acceptances when 5 seats are free', async () => {
    const { users, entryIds } = await waitingLine('s-rush', 50);
    // Fifty seats offered automatically, then the room shrinks to five: fifty valid tokens chase five seats.
    expect((await owner(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-rush', total: 50 })).data.updateSessionCapacity).toMatchObject({
      total: 50,
      used: 0,
    });
    expect((await owner(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-rush', total: 5 })).errors).toBeUndefined();
    const tokens = new Map((await outboxOffers(stack.runtime.orm, entryIds)).map((message) => [message.data.userId, message.data.offerToken]));
    expect(tokens.size).toBe(50);

    const responses = await Promise.all(
      users.map((userId) => asUser(stack, userId)(WaitlistOps.AcceptWaitlistOffer, { token: tokens.get(userId) })),
    );
    const accepted = responses.filter((response) => response.data?.acceptWaitlistOffer?.status === 'ACCEPTED');
    const refused = responses.filter((response) => response.errors);
    expect(accepted).toHaveLength(5);
    expect(refused).toHaveLength(45);
    expect(refused.every((response) => response.errors![0].extensions!.code === 'CONFLICT')).toBe(true);
    expect(refused.every((response) => response.errors![0].extensions!.reason === 'SESSION_FULL')).toBe(true);

    const [seats] = await sql<{ used: number; total: number }>(`select used, total from session_capacities where session_id = 's-rush'`);
    expect(seats).toEqual({ used: 5, total: 5 });
    const [{ count }] = await sql<{ count: string }>(`select count(*) from waitlist_entries where session_id = 's-rush' and status = 'ACCEPTED'`);
    expect(Number(count)).toBe(5);
  });

  it('refuses a reused token with CONFLICT (OFFER_USED)', async () => {
    const { users } = await waitingLine('s-reuse', 1);
    await owner(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-reuse', total: 1 });
    const token = await tokenOf(users[0], 's-reuse');
    const attendee = asUser(stack, users[0]);
    expect((await attendee(WaitlistOps.AcceptWaitlistOffer, { token })).data.acceptWaitlistOffer.status).toBe('ACCEPTED');
    const again = await attendee(WaitlistOps.AcceptWaitlistOffer, { token });
    expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'OFFER_USED' });
    const [{ used }] = await sql<{ used: number }>(`select used from session_capacities where session_id = 's-reuse'`);
    expect(used).toBe(1);
  });

  it('refuses tampered tokens and tokens of another session with BAD_USER_INPUT on token', async () => {
    const { users, entryIds } = await waitingLine('s-tamper', 1);
    await addSession(stack.runtime.orm, 'ev-private', 's-tamper-other', 10);
    await owner(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-tamper', total: 1 });
    const token = await tokenOf(users[0], 's-tamper');
    const attendee = asUser(stack, users[0]);
    const [head, body, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());

    const flipped = `${head}.${body}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const movedBody = Buffer.from(JSON.stringify({ ...claims, s: 's-tamper-other' })).toString('base64url');
    const otherSession = testOfferTokens().sign({
      entryId: entryIds[0],
      sessionId: 's-tamper-other',
      tokenId: claims.t,
      expiresAt: new Date(claims.x),
    });
    for (const bad of [flipped, `${head}.${movedBody}.${signature}`, 'not-a-token', otherSession]) {
      const response = await attendee(WaitlistOps.AcceptWaitlistOffer, { token: bad });
      expect(response.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    }
    // The genuine token, presented for another session's page.
    const wrongPage = await attendee(ExtraWaitlistOps.AcceptForSession, { token, sessionId: 's-tamper-other' });
    expect(wrongPage.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    // Someone else holding the genuine token.
    expect(codesOf(await asUser(stack, 'u-guest')(WaitlistOps.AcceptWaitlistOffer, { token }))).toEqual(['FORBIDDEN']);
    // Nothing of that took the seat; the genuine token still works.
    expect((await attendee(ExtraWaitlistOps.AcceptForSession, { token, sessionId: 's-tamper' })).data.acceptWaitlistOffer.status).toBe(
      'ACCEPTED',
    );
  });

  it('refuses an expired token with CONFLICT (OFFER_EXPIRED), and the sweeper offers the seat to the next person', async () => {
    const { users, entryIds } = await waitingLine('s-expire', 2);
    await owner(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-expire', total: 1 });
    const token = await tokenOf(users[0], 's-expire');
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    // A genuine token whose expiry has passed.
    const lapsed = testOfferTokens().sign({ entryId: entryIds[0], sessionId: 's-expire', tokenId: claims.t, expiresAt: new Date(Date.now() - 1000) });
    expect((await asUser(stack, users[0])(WaitlistOps.AcceptWaitlistOffer, { token: lapsed })).errors![0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'OFFER_EXPIRED',
    });

    // Time runs out on the offer itself: the sweeper expires it and offers the seat to the next in line.
    await sql(`update waitlist_entries set offer_expires_at = now() - interval '1 second' where id = ?`, [entryIds[0]]);
    await eventually(
      async () => (await sql<{ status: string }>(`select status from waitlist_entries where id = ?`, [entryIds[1]]))[0].status === 'OFFERED',
      10_000,
      'the sweeper to offer the seat to the next person',
    );
    const [first] = await sql<{ status: string; expired_at: Date | null }>(`select status, expired_at from waitlist_entries where id = ?`, [
      entryIds[0],
    ]);
    expect(first.status).toBe('EXPIRED');
    expect(first.expired_at).not.toBeNull();
    const original = await asUser(stack, users[0])(WaitlistOps.AcceptWaitlistOffer, { token });
    expect(original.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'OFFER_EXPIRED' });
    const facts = await sql<{ type: string }>(
      `select payload->>'type' as type from outbox_messages where topic = 'monetization.events.v1' and payload->'data'->>'sessionId' = 's-expire' order by created_at`,
    );
    expect(facts.map((fact) => fact.type)).toEqual(['WaitlistJoined', 'WaitlistJoined', 'WaitlistOffered', 'WaitlistExpired', 'WaitlistOffered']);
  });

  it('offers a single seat on request, never more bulk offers than free seats, and declines pass the seat on', async () => {
    const { users, entryIds } = await waitingLine('s-manual', 6);
    // Three seats held back from the automatic offers, for the organizer to hand out.
    const held = await owner(ExtraWaitlistOps.HoldSeats, { sessionId: 's-manual', total: 3 });
    expect(held.data.updateSessionCapacity).toEqual({ total: 3, used: 0, offerable: 3 });
    const single = await owner(WaitlistOps.SendWaitlistOffer, { entryId: entryIds[4] });
    expect(single.data.sendWaitlistOffer).toMatchObject({ id: entryIds[4], status: 'OFFERED', offerExpiresAt: expect.any(String) });
    const expiry = Date.parse(single.data.sendWaitlistOffer.offerExpiresAt) - Date.now();
    expect(expiry).toBeGreaterThan(29 * 60_000);
    expect(expiry).toBeLessThanOrEqual(30 * 60_000);
    expect(codesOf(await owner(WaitlistOps.SendWaitlistOffer, { entryId: entryIds[4] }))).toEqual(['CONFLICT']);

    const bulk = await owner(WaitlistOps.BulkSendWaitlistOffers, { sessionId: 's-manual', count: 5 });
    expect(bulk.data.bulkSendWaitlistOffers.map((entry: { id: string }) => entry.id)).toEqual([entryIds[0], entryIds[1]]);
    const none = await owner(WaitlistOps.BulkSendWaitlistOffers, { sessionId: 's-manual', count: 1 });
    expect(none.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NO_FREE_SEAT' });
    expect(codesOf(await owner(WaitlistOps.SendWaitlistOffer, { entryId: entryIds[2] }))).toEqual(['CONFLICT']);

    const declined = await asUser(stack, users[1])(ExtraWaitlistOps.Decline, { token: await tokenOf(users[1], 's-manual') });
    expect(declined.data.declineWaitlistOffer).toEqual({ id: entryIds[1], status: 'DECLINED' });
    const next = await asUser(stack, users[2])(WaitlistOps.MyWaitlistPosition, { sessionId: 's-manual' });
    expect(next.data.myWaitlistPosition).toMatchObject({ status: 'OFFERED', offerExpiresAt: expect.any(String) });
    const capacity = await owner(WaitlistOps.SessionCapacity, { sessionId: 's-manual' });
    expect(capacity.data.sessionCapacity).toEqual({ sessionId: 's-manual', total: 3, used: 0, available: 3, waiting: 5 });
  });

  it('lets sweepers on several replicas race without offering a freed seat twice', async () => {
    const { entryIds } = await waitingLine('s-sweep', 6);
    await owner(WaitlistOps.UpdateSessionCapacity, { sessionId: 's-sweep', total: 2 });
    await sql(`update waitlist_entries set offer_expires_at = now() - interval '1 second' where id = any(?::uuid[])`, [
      `{${entryIds[0]},${entryIds[1]}}`,
    ]);
    // Four passes at once, as if four replicas woke together (the stack's own sweeper joins in too).
    const services = stack.servicesOf<WaitlistServices>('waitlist');
    await Promise.all([1, 2, 3, 4].map(() => sweepExpiredOffers(stack.runtime.orm, services)));
    const statuses = await sql<{ id: string; status: string }>(`select id, status from waitlist_entries where session_id = 's-sweep'`);
    const byId = Object.fromEntries(statuses.map((row) => [row.id, row.status]));
    expect(entryIds.map((id) => byId[id])).toEqual(['EXPIRED', 'EXPIRED', 'OFFERED', 'OFFERED', 'WAITING', 'WAITING']);
    expect((await outboxOffers(stack.runtime.orm, entryIds)).map((message) => message.data.entryId).sort()).toEqual(
      entryIds.slice(0, 4).sort(),
    );
  });

  it('seats one join per person and never offers more seats than free to concurrent joiners', async () => {
    await addSession(stack.runtime.orm, 'ev-private', 's-crowd', 3);
    const crowd = await addAttendees(stack.runtime.orm, 'ev-private', 's-crowd', 12);
    const twice = await Promise.all([...crowd, ...crowd].map((userId) => asUser(stack, userId)(WaitlistOps.JoinWaitlist, { sessionId: 's-crowd' })));
    const joined = twice.filter((response) => response.data?.joinWaitlist);
    expect(joined).toHaveLength(12);
    expect(twice.filter((response) => codesOf(response)[0] === 'CONFLICT')).toHaveLength(12);
    expect(joined.filter((response) => response.data.joinWaitlist.status === 'OFFERED')).toHaveLength(3);
    const waiting = joined.filter((response) => response.data.joinWaitlist.status === 'WAITING').map((response) => response.data.joinWaitlist.position);
    expect(waiting.sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
