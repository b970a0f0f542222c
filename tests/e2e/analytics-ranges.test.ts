import { codesOf, graphql } from '../support/graphql';
import { contractOperation } from '../support/analytics';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

const MonetizationAnalytics = contractOperation('analytics.graphql', 'MonetizationAnalytics');
const EventMonetization = contractOperation('dashboard-event.graphql', 'EventMonetization');

describe('analytics periods: from ≤ to, at most 366 days counting both ends, real YYYY-MM-DD days', () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack();
    token = await tokenFor('u-owner');
  });
  afterAll(() => stack.close());

  const ask = (from: unknown, to: unknown, operation = MonetizationAnalytics) =>
    graphql(stack.gatewayUrl, operation, { variables: { eventId: 'ev-private', from, to }, token });

  it.each([
    ['1 day', '2026-05-01', '2026-05-01'],
    ['365 days', '2027-01-01', '2027-12-31'],
    ['366 days across a year end', '2027-01-01', '2028-01-01'],
    ['366 days of a leap year', '2028-01-01', '2028-12-31'],
    ['366 days across 29 February', '2028-02-29', '2029-02-28'],
  ])('accepts %s', async (_label, from, to) => {
    const response = await ask(from, to);
    expect(response.errors).toBeUndefined();
    expect(response.data.monetizationAnalytics.funnel).toEqual({ offerViews: 0, offerClicks: 0, purchases: 0 });
  });

  it.each([
    ['367 days', '2027-01-01', '2028-01-02', 'to', /366 days.*spans 367/],
    ['367 days of a leap year and a day', '2028-01-01', '2029-01-01', 'to', /spans 367/],
    ['a `from` after `to`', '2026-05-02', '2026-05-01', 'to', /on or after `from`/],
    ['a day that does not exist', '2026-02-30', '2026-03-01', 'from', /YYYY-MM-DD/],
    ['another separator', '2026-01-01', '2026/01/31', 'to', /YYYY-MM-DD/],
    ['a missing leading zero', '2026-1-01', '2026-01-31', 'from', /YYYY-MM-DD/],
    ['a date and time', '2026-01-01T00:00:00Z', '2026-01-31', 'from', /YYYY-MM-DD/],
    ['an empty string', '2026-01-01', '', 'to', /YYYY-MM-DD/],
  ])('refuses %s with BAD_USER_INPUT naming the argument', async (_label, from, to, field, message) => {
    const response = await ask(from, to);
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions?.field).toBe(field);
    expect(response.errors![0].message).toMatch(message);
    expect(response.data?.monetizationAnalytics ?? null).toBeNull();
  });

  it('refuses a date that is not a string, and a bad literal written in the query', async () => {
    const number = await ask(20260101, '2026-01-31');
    expect(codesOf(number)).toEqual(['BAD_USER_INPUT']);
    expect(number.errors![0].extensions?.field).toBe('from');
    const literal = await graphql(
      stack.gatewayUrl,
      '{ monetizationAnalytics(eventId: "ev-private", from: "2026-13-01", to: "2026-12-31") { funnel { purchases } } }',
      { token },
    );
    expect(codesOf(literal)).toEqual(['BAD_USER_INPUT']);
    expect(literal.errors![0].extensions?.field).toBe('from');
  });

  it('applies the same rules to Event.monetizationAnalytics in the dashboard query', async () => {
    const tooLong = await ask('2027-01-01', '2028-01-02', EventMonetization);
    const errors = (tooLong.errors ?? []).filter((error) => error.path?.join('.') === 'event.monetizationAnalytics');
    expect(errors.map((error) => [error.extensions?.code, error.extensions?.field])).toEqual([['BAD_USER_INPUT', 'to']]);
    const fine = await ask('2027-01-01', '2027-12-31', EventMonetization);
    expect(fine.errors).toBeUndefined();
    expect(fine.data.event.monetizationAnalytics.waitlist.acceptanceRate).toBe(0);
  });
});
