import { pgArray } from '../../kernel/db/sql';
import { codesOf } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { addAttendees, addSession, asUser, resetWaitlist, WaitlistOps } from '../support/waitlist';

const SESSION = 's-big';
const PEOPLE = 342;
/** Every 7th person holds a VIP ticket and every 5th a PREMIUM one: the tiers interleave with join order. */
const tierOf = (index: number) => (index % 7 === 0 ? 'VIP' : index % 5 === 0 ? 'PREMIUM' : 'STANDARD');
const RANK: Record<string, number> = { VIP: 0, PREMIUM: 1, STANDARD: 2 };

describe('the organizer waitlist view over 342 entries', () => {
  let stack: TestStack;
  let staff: ReturnType<typeof asUser>;
  let users: string[];

  beforeAll(async () => {
    stack = await startStack({ subgraphWorkers: false });
    await resetWaitlist(stack);
    staff = asUser(stack, 'u-staff');
    await addSession(stack.runtime.orm, 'ev-private', SESSION, 0);
    users = await addAttendees(stack.runtime.orm, 'ev-private', 'big', PEOPLE);
    // Straight into PostgreSQL, one second apart: joining 342 people through the gateway proves nothing more here.
    await stack.runtime.orm.em.fork().execute(
      `insert into waitlist_entries (id, session_id, event_id, user_id, priority_tier, status, joined_at)
       select gen_random_uuid(), ?, 'ev-private', u.id, t.tier, 'WAITING', timestamptz '2026-11-01T00:00:00Z' + (u.n * interval '1 second')
         from unnest(?::text[]) with ordinality as u(id, n)
         join unnest(?::text[]) with ordinality as t(tier, n) on t.n = u.n`,
      [SESSION, pgArray(users), pgArray(users.map((_, index) => tierOf(index)))],
    );
    await stack.runtime.orm.em.fork().execute(`update platform_users set name = 'Zoë Quill', email = 'quill@example.org' where id = ?`, [
      users[200],
    ]);
  });
  afterAll(() => stack.close());

  const page = async (variables: Record<string, unknown>) => {
    const response = await staff(WaitlistOps.SessionWaitlist, { sessionId: SESSION, ...variables });
    expect(response.errors).toBeUndefined();
    return response.data.sessionWaitlist;
  };
  const expectedOrder = () =>
    users.map((id, index) => ({ id, index, rank: RANK[tierOf(index)] })).sort((a, b) => a.rank - b.rank || a.index - b.index);

  it('shows the first 25 of 342 in serving order with their positions, names and emails', async () => {
    const first = await page({ first: 25 });
    expect(first.totalCount).toBe(PEOPLE);
    expect(first.edges).toHaveLength(25);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[24].cursor });
    const order = expectedOrder();
    expect(first.edges.map((edge: any) => edge.node.user.id)).toEqual(order.slice(0, 25).map((person) => person.id));
    expect(first.edges.map((edge: any) => edge.node.position)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(first.edges[0].node).toMatchObject({
      priorityTier: 'VIP',
      status: 'WAITING',
      joinedAt: '2026-11-01T00:00:01.000Z',
      offerExpiresAt: null,
      user: { id: users[0], name: `Attendee ${users[0]}`, email: `${users[0]}@example.com` },
    });
  });

  it('walks every page without gaps or repeats, whatever the page size', async () => {
    for (const size of [100, 37]) {
      const seen: string[] = [];
      const positions: number[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const current: any = await page({ first: size, after });
        pages += 1;
        seen.push(...current.edges.map((edge: any) => edge.node.user.id));
        positions.push(...current.edges.map((edge: any) => edge.node.position));
        expect(current.totalCount).toBe(PEOPLE);
        if (!current.pageInfo.hasNextPage) break;
        after = current.pageInfo.endCursor;
      }
      expect(pages).toBe(Math.ceil(PEOPLE / size));
      expect(seen).toEqual(expectedOrder().map((person) => person.id));
      expect(positions).toEqual(Array.from({ length: PEOPLE }, (_, i) => i + 1));
    }
  });

  /** The dashboard's pager: where the page stands, both directions and numbered pages (issue 16). */
  const PAGER = `query Pager($sessionId: ID!, $first: Int, $after: String, $last: Int, $before: String, $page: Int) {
    sessionWaitlist(sessionId: $sessionId, first: $first, after: $after, last: $last, before: $before, page: $page) {
      totalCount offset pageSize page pageCount
      pageInfo { hasNextPage endCursor hasPreviousPage startCursor }
      edges { node { user { id } position } }
    }
  }`;
  const pager = async (variables: Record<string, unknown>) => {
    const response = await staff(PAGER, { sessionId: SESSION, ...variables });
    expect(response.errors).toBeUndefined();
    return response.data.sessionWaitlist;
  };
  const idsOf = (current: any) => current.edges.map((edge: any) => edge.node.user.id);

  it('pages by number at the default size of 25: page 2 shows 26–50 of 342, of 14 pages', async () => {
    const order = expectedOrder().map((person) => person.id);
    const second = await pager({ page: 2 });
    expect(second).toMatchObject({ totalCount: PEOPLE, offset: 25, pageSize: 25, page: 2, pageCount: 14 });
    expect(second.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    expect(idsOf(second)).toEqual(order.slice(25, 50));
    expect(second.edges.map((edge: any) => edge.node.position)).toEqual(Array.from({ length: 25 }, (_, i) => 26 + i));
    const lastPage = await pager({ page: 14 });
    expect(lastPage).toMatchObject({ offset: 325, page: 14 });
    expect(idsOf(lastPage)).toEqual(order.slice(325));
    expect(lastPage.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const beyond = await pager({ page: 15 });
    expect(beyond).toMatchObject({ offset: 350, edges: [], pageInfo: { hasPreviousPage: true, hasNextPage: false, startCursor: null } });
    const first = await pager({});
    expect(first).toMatchObject({ offset: 0, page: 1, pageInfo: { hasPreviousPage: false, hasNextPage: true } });
    expect(idsOf(first)).toEqual(order.slice(0, 25));
  });

  it('pages backward from any cursor and from the end, without gaps or repeats', async () => {
    const order = expectedOrder().map((person) => person.id);
    const third = await pager({ page: 3 });
    const second = await pager({ before: third.pageInfo.startCursor });
    expect(second).toMatchObject({ offset: 25, page: 2, pageSize: 25 });
    expect(idsOf(second)).toEqual(order.slice(25, 50));
    const seen: string[] = [];
    let current: any = await pager({ last: 40 });
    expect(current).toMatchObject({ offset: PEOPLE - 40, pageInfo: { hasNextPage: false, hasPreviousPage: true } });
    for (;;) {
      seen.unshift(...idsOf(current));
      if (!current.pageInfo.hasPreviousPage) break;
      current = await pager({ last: 40, before: current.pageInfo.startCursor });
    }
    expect(current.offset).toBe(0);
    expect(seen).toEqual(order);
  });

  it('refuses two ways of placing a page at once, naming the input', async () => {
    const { pageInfo } = await pager({ first: 5 });
    const both = await staff(PAGER, { sessionId: SESSION, after: pageInfo.endCursor, page: 2 });
    expect(both.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'page' });
    const zero = await staff(PAGER, { sessionId: SESSION, page: 0 });
    expect(zero.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'page' });
    const forged = await staff(PAGER, { sessionId: SESSION, before: 'bm90LWEtY3Vyc29y' });
    expect(forged.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'before' });
    const tooMany = await staff(PAGER, { sessionId: SESSION, last: 101 });
    expect(tooMany.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
  });

  it('searches by name or email, counting only the matches', async () => {
    const byName = await page({ search: 'zoë qu' });
    expect(byName.totalCount).toBe(1);
    expect(byName.edges[0].node.user).toEqual({ id: users[200], name: 'Zoë Quill', email: 'quill@example.org' });
    const byEmail = await page({ search: 'big-01', first: 5 });
    // big-010 … big-019 by email (big-01@… does not exist: ids are three digits).
    expect(byEmail.totalCount).toBe(10);
    expect(byEmail.edges).toHaveLength(5);
    expect(byEmail.pageInfo.hasNextPage).toBe(true);
    const wildcard = await page({ search: '%' });
    expect(wildcard.totalCount).toBe(0);
  });

  it('sends the same SQL statements for a page of 5 and a page of 100: one statement reads entries, people and the total', async () => {
    await page({ first: 1 }); // the Redis mirror is built once, outside the count
    const statementsFor = async (first: number) => {
      const counter = stack.countSql();
      const result = await page({ first });
      counter.stop();
      expect(result.edges).toHaveLength(first);
      // The page size is a bound parameter; everything else must be the same.
      return counter.statements.map((sql) => sql.replace(/limit \d+/, 'limit ?'));
    };
    const small = await statementsFor(5);
    const large = await statementsFor(100);
    expect(large).toEqual(small);
    // Three statements: the session, the caller's standing on its event (event, registration and
    // membership in one), and the page itself; each table read by exactly one of them.
    const tables = ['platform_sessions', 'platform_events', 'platform_registrations', 'platform_organization_members', 'waitlist_entries'];
    expect(small).toHaveLength(3);
    for (const table of tables) expect(small.filter((sql) => new RegExp(`\\b${table}\\b`).test(sql))).toHaveLength(1);
    expect(small.filter((sql) => /platform_users/.test(sql))).toHaveLength(1);
  });

  it('refuses a page size over 100 and a cursor it did not make, naming the input', async () => {
    const big = await staff(WaitlistOps.SessionWaitlist, { sessionId: SESSION, first: 101 });
    expect(big.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const cursor = await staff(WaitlistOps.SessionWaitlist, { sessionId: SESSION, after: 'bm90LWEtY3Vyc29y' });
    expect(cursor.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(codesOf(await staff(WaitlistOps.SessionWaitlist, { sessionId: SESSION, first: 0 }))).toEqual(['BAD_USER_INPUT']);
  });
});
