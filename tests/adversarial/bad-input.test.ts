import { createHash } from 'node:crypto';
import { addCatalog } from '../support/catalog';
import { codesOf, graphql } from '../support/graphql';
import { addLiveEvent, OFFER_INVENTORY } from '../support/live';
import { openRawSocket } from '../support/raw-socket';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

describe('bad input answers 4xx naming the field, writes nothing and is never an internal error', () => {
  let stack: TestStack;
  let offerId: string;
  let owner: string;
  const sql = <T>(text: string) => stack.runtime.orm.em.fork().execute<T[]>(text);
  const count = async (table: string) => Number((await sql<{ n: string }>(`select count(*) as n from ${table}`))[0].n);

  beforeAll(async () => {
    stack = await startStack();
    await addCatalog(stack.runtime.orm, 'ev-private', 1, 'EUR');
    [{ id: offerId }] = await sql<{ id: string }>(`select id from offers where event_id = 'ev-private'`);
    owner = await tokenFor('u-owner');
  });
  afterAll(() => stack.close());

  const CREATE_OFFER = 'mutation($input: CreateOfferInput!) { createOffer(input: $input) { id } }';
  const offerInput = (extra: Record<string, unknown>) => ({ eventId: 'ev-private', title: 'Upgrade', type: 'DIGITAL', price: { amountCents: 500, currency: 'EUR' }, ...extra });

  it('refuses a NUL character in an ID or a string, in variables and in literals', async () => {
    const offers = await count('offers');
    const attempts = [
      await graphql(stack.gatewayUrl, 'query($id: ID!) { offer(id: $id) { id } }', { variables: { id: `${offerId}\u0000` }, token: owner }),
      await graphql(stack.gatewayUrl, `query { offer(id: "${offerId}\\u0000") { id } }`, { token: owner }),
      await graphql(stack.gatewayUrl, CREATE_OFFER, { variables: { input: offerInput({ title: 'Up\u0000grade' }) }, token: owner }),
      await graphql(stack.gatewayUrl, 'mutation { createOffer(input: { eventId: "ev-private", title: "Up\\u0000grade", type: DIGITAL, price: { amountCents: 500, currency: "EUR" } }) { id } }', { token: owner }),
    ];
    // Variables are bad user input; literals are caught by validation, with its documented code.
    expect(attempts.map(codesOf)).toEqual([['BAD_USER_INPUT'], ['GRAPHQL_VALIDATION_FAILED'], ['BAD_USER_INPUT'], ['GRAPHQL_VALIDATION_FAILED']]);
    expect(attempts.every((answer) => answer.status === 400)).toBe(true);
    expect(attempts.map((answer) => answer.errors?.[0].extensions?.field)).toEqual(['id', 'id', 'input.title', 'input.title']);
    expect(await count('offers')).toBe(offers);
  });

  it.each([
    ['0000-01-01T00:00:00Z'],
    ['2027-02-30T00:00:00Z'],
    ['2026-12-01T24:00:00Z'],
    ['9999-12-31T23:59:59Z'],
  ])('refuses the DateTime %s with BAD_USER_INPUT instead of storing it or failing in the database', async (startsAt) => {
    const offers = await count('offers');
    const answer = await graphql(stack.gatewayUrl, CREATE_OFFER, { variables: { input: offerInput({ startsAt }) }, token: owner });
    expect(answer.status).toBeLessThan(500);
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
    expect(await count('offers')).toBe(offers);
  });

  it.each([
    ['0000-01-01', '2026-01-01'],
    ['9999-12-31', '9999-12-31'],
    ['2027-02-29', '2027-03-01'],
  ])('refuses the analytics period %s..%s with BAD_USER_INPUT', async (from, to) => {
    const answer = await graphql(
      stack.gatewayUrl,
      'query($eventId: ID!, $from: Date!, $to: Date!) { monetizationAnalytics(eventId: $eventId, from: $from, to: $to) { eventId } }',
      { variables: { eventId: 'ev-private', from, to }, token: owner },
    );
    expect(answer.status).toBeLessThan(500);
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a waitlist cursor with a huge time value as BAD_USER_INPUT on after', async () => {
    for (const joinedUs of ['99999999999999999999', '9223372036854775807', '300000000000000000']) {
      const after = Buffer.from(JSON.stringify([0, joinedUs, '00000000-0000-0000-0000-000000000000'])).toString('base64url');
      const answer = await graphql(
        stack.gatewayUrl,
        'query($sessionId: ID!, $after: String) { sessionWaitlist(sessionId: $sessionId, first: 5, after: $after) { totalCount } }',
        { variables: { sessionId: 's-keynote', after }, token: owner },
      );
      expect(answer.status).toBeLessThan(500);
      expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0].extensions?.field).toBe('after');
    }
  });

  it('answers an APQ hash that does not match the query with a 4xx, not a 500', async () => {
    const query = '{ __typename }';
    const wrong = createHash('sha256').update('something else').digest('hex');
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash: wrong } } }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
  });

  it('hides "Did you mean" hints for enum values over HTTP and for fields over graphql-ws', async () => {
    const answer = await graphql(
      stack.gatewayUrl,
      'mutation { exportMonetizationReport(eventId: "ev-private", from: "2026-11-01", to: "2026-11-02", format: CSVV) { filename } }',
      { token: owner },
    );
    expect(answer.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(answer.errors)).not.toMatch(/Did you mean/);
    const exportAs = (format: string) =>
      graphql(
        stack.gatewayUrl,
        'mutation($format: ReportFormat!) { exportMonetizationReport(eventId: "ev-private", from: "2026-11-01", to: "2026-11-02", format: $format) { filename } }',
        { variables: { format }, token: owner },
      );
    // (The first sight of a document with a bad variable is the cost rule's case, issue 17.)
    expect((await exportAs('CSV')).errors).toBeUndefined();
    const variableTypo = await exportAs('CSVV');
    expect(codesOf(variableTypo)).toEqual(['BAD_USER_INPUT']);
    expect(variableTypo.errors?.[0].extensions?.field).toBe('format');
    expect(JSON.stringify(variableTypo.errors)).not.toMatch(/Did you mean/);

    const socket = openRawSocket(stack.gatewayUrl, { authorization: `Bearer ${owner}` });
    await socket.outcome;
    socket.subscribe('1', 'subscription($eventId: ID!) { offerInventoryChange(eventId: $eventId) { offer { id } } }', { eventId: 'ev-private' });
    socket.subscribe('2', 'query { offr(id: "x") { id } }');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const errors = socket.messages.filter((message) => message.type === 'error');
    expect(errors).toHaveLength(2);
    expect(JSON.stringify(errors)).toMatch(/Cannot query field/);
    expect(JSON.stringify(errors)).not.toMatch(/Did you mean/);
    await socket.close();
  });

  it('refuses @include on a subscription root field with a validation error; the socket stays open', async () => {
    const { eventId } = await addLiveEvent(stack.runtime.orm, { isPublic: true });
    const socket = openRawSocket(stack.gatewayUrl, { authorization: `Bearer ${owner}` });
    await socket.outcome;
    const query = OFFER_INVENTORY.replace('offerInventoryChanged(eventId: $eventId)', 'offerInventoryChanged(eventId: $eventId) @include(if: $on)').replace(
      '($eventId: ID!)',
      '($eventId: ID!, $on: Boolean!)',
    );
    socket.subscribe('1', query, { eventId, on: true });
    socket.subscribe('2', query.replace('@include(if: $on)', '@skip(if: $on)'), { eventId, on: false });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const errors = socket.messages.filter((message) => message.type === 'error');
    expect(errors.map((message) => message.payload[0].extensions.code)).toEqual(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
    expect(await Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve('open'), 100))])).toBe('open');
    await socket.close();

    // Over HTTP too: a validation error, not the 500 of graphql-js's throwing rule.
    const overHttp = await graphql(stack.gatewayUrl, query, { variables: { eventId, on: true } });
    expect(overHttp.status).toBe(400);
    expect(codesOf(overHttp)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a second mutation field in one operation before anything runs, so no commit hides behind data: null', async () => {
    const guest = await tokenFor('u-guest');
    const [{ n: before }] = await sql<{ n: string }>(`select count(*) as n from offer_purchases`);
    const aliases = Array.from({ length: 3 }, (_, index) => `buy${index}: purchaseOffer(offerId: "${offerId}", quantity: 1) { purchase { id } }`).join(' ');
    const refused = await graphql(stack.gatewayUrl, `mutation { ${aliases} }`, { token: owner });
    expect(refused.status).toBe(400);
    expect(codesOf(refused)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(refused.errors?.[0].message).toMatch(/only one mutation field/);
    const mixed = await graphql(
      stack.gatewayUrl,
      `mutation { buy: purchaseOffer(offerId: "${offerId}", quantity: 1) { purchase { id } } join: joinWaitlist(sessionId: "s-keynote") { id } }`,
      { token: guest },
    );
    expect(codesOf(mixed)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect((await sql<{ n: string }>(`select count(*) as n from offer_purchases`))[0].n).toBe(before);

    // One field per request: each answer names what committed.
    const committed: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const answer = await graphql(stack.gatewayUrl, `mutation { purchaseOffer(offerId: "${offerId}", quantity: 1) { purchase { id } } }`, { token: owner });
      expect(answer.errors).toBeUndefined();
      committed.push(answer.data.purchaseOffer.purchase.id);
    }
    const stored = await sql<{ id: string }>(`select id from offer_purchases where user_id = 'u-owner' order by id`);
    expect(stored.map((row) => row.id).sort()).toEqual([...committed].sort());
    // __typename beside the field is not a second mutation.
    const typename = await graphql(stack.gatewayUrl, `mutation { __typename leaveWaitlist(sessionId: "s-keynote") }`, { token: guest });
    expect(codesOf(typename)).not.toContain('GRAPHQL_VALIDATION_FAILED');
  });
});
