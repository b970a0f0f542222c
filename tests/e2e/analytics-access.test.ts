import { codesOf, graphql, type GraphQLResponse } from '../support/graphql';
import { contractOperation, ingest, monetizationEnvelope } from '../support/analytics';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';
import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity } from '../../kernel/auth/identity';
import { TEST_SUBGRAPH_SECRET } from '../support/tokens';

const MonetizationAnalytics = contractOperation('analytics.graphql', 'MonetizationAnalytics');
const ExportMonetizationReport = contractOperation('analytics.graphql', 'ExportMonetizationReport');
const EventMonetization = contractOperation('dashboard-event.graphql', 'EventMonetization');

const period = { from: '2026-01-01', to: '2026-12-31' };
const REVENUE_CENTS = 4321;

describe('who may read monetization analytics, through the gateway', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
    await ingest(stack.runtime.orm, [
      monetizationEnvelope('PurchaseCompleted', { eventId: 'ev-private', amountCents: REVENUE_CENTS, currency: 'USD' }, new Date('2026-03-01T10:00:00Z')),
      monetizationEnvelope('PurchaseCompleted', { eventId: 'ev-public', amountCents: REVENUE_CENTS, currency: 'EUR' }, new Date('2026-03-01T10:00:00Z')),
    ]);
  });
  afterAll(() => stack.close());

  const ask = async (userId: string | null, operation = MonetizationAnalytics, eventId = 'ev-private', extra = {}) =>
    graphql(stack.gatewayUrl, operation, {
      variables: { eventId, ...period, ...extra },
      token: userId ? await tokenFor(userId) : undefined,
    });

  /** No number of the event leaks into a refused answer. */
  const expectNoAnalytics = (response: GraphQLResponse) => {
    expect(JSON.stringify(response.data ?? null)).not.toContain(String(REVENUE_CENTS));
    expect(JSON.stringify(response.data ?? null)).not.toContain('funnel');
  };

  it.each(['u-owner', 'u-staff'])('answers %s, the owner or a member of the organization', async (userId) => {
    const response = await ask(userId);
    expect(response.errors).toBeUndefined();
    expect(response.data.monetizationAnalytics.revenue.total).toEqual({ amountCents: REVENUE_CENTS, currency: 'USD', formatted: '$43.21' });
  });

  it('refuses a registered attendee who is not a member with FORBIDDEN, on the root field', async () => {
    const response = await ask('u-guest');
    expect(codesOf(response)).toEqual(['FORBIDDEN']);
    expect(response.data?.monetizationAnalytics ?? null).toBeNull();
    expectNoAnalytics(response);
  });

  it('refuses the same attendee Event.monetizationAnalytics in the dashboard query (federated path) with FORBIDDEN', async () => {
    const response = await ask('u-guest', EventMonetization);
    const analyticsErrors = (response.errors ?? []).filter((error) => error.path?.join('.') === 'event.monetizationAnalytics');
    expect(analyticsErrors.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expectNoAnalytics(response);

    // Alone, without the ads that are also organizers-only, the event is served and the analytics are not.
    const alone = await graphql(
      stack.gatewayUrl,
      `query($from: Date!, $to: Date!) { event(id: "ev-private") { id monetizationAnalytics(from: $from, to: $to) { revenue { total { amountCents } } } } }`,
      { variables: period, token: await tokenFor('u-guest') },
    );
    expect(alone.data.event).toEqual({ id: 'ev-private', monetizationAnalytics: null });
    expect(codesOf(alone)).toEqual(['FORBIDDEN']);
  });

  it('refuses a signed-in non-member of a public event with FORBIDDEN on both paths', async () => {
    const root = await ask('u-owner', MonetizationAnalytics, 'ev-public');
    expect(codesOf(root)).toEqual(['FORBIDDEN']);
    expectNoAnalytics(root);
    const dashboard = await ask('u-vip', EventMonetization, 'ev-public');
    expect(
      (dashboard.errors ?? []).filter((error) => error.path?.join('.') === 'event.monetizationAnalytics').map((error) => error.extensions?.code),
    ).toEqual(['FORBIDDEN']);
    expectNoAnalytics(dashboard);
  });

  it('answers NOT_FOUND to someone who cannot even see the event, and UNAUTHENTICATED to an anonymous caller', async () => {
    const outsider = await ask('u-outsider');
    expect(codesOf(outsider)).toEqual(['NOT_FOUND']);
    expectNoAnalytics(outsider);
    const dashboard = await ask('u-outsider', EventMonetization);
    expect(codesOf(dashboard)).toContain('NOT_FOUND');
    expectNoAnalytics(dashboard);
    const anonymous = await ask(null);
    expect(codesOf(anonymous)).toEqual(['UNAUTHENTICATED']);
    expectNoAnalytics(anonymous);
  });

  it('refuses exports to non-members', async () => {
    const guest = await ask('u-guest', ExportMonetizationReport, 'ev-private', { format: 'CSV' });
    expect(codesOf(guest)).toEqual(['FORBIDDEN']);
    expect(guest.data?.exportMonetizationReport ?? null).toBeNull();
    const owner = await ask('u-owner', ExportMonetizationReport, 'ev-private', { format: 'CSV' });
    expect(owner.errors).toBeUndefined();
    expect(Buffer.from(owner.data.exportMonetizationReport.base64, 'base64').toString('utf8')).toContain('43.21');
  });

  it('gives nothing to a request that reaches the subgraph without the gateway, even as _entities', async () => {
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Event { monetizationAnalytics(from: "2026-01-01", to: "2026-12-31") { revenue { total { amountCents } } } } } }`;
    const variables = { representations: [{ __typename: 'Event', id: 'ev-private' }] };
    const forged = await graphql(stack.subgraphUrls.analytics!, query, { variables, headers: { 'x-user-id': 'u-owner' } });
    expectNoAnalytics(forged);
    expect(codesOf(forged)).toEqual(['UNAUTHENTICATED']);
    // The gateway's own proof for a non-member: still refused.
    const proof = await signGatewayIdentity({ userId: 'u-guest' }, TEST_SUBGRAPH_SECRET);
    const guest = await graphql(stack.subgraphUrls.analytics!, query, { variables, headers: { [GATEWAY_IDENTITY_HEADER]: proof } });
    expectNoAnalytics(guest);
    expect(codesOf(guest)).toEqual(['FORBIDDEN']);
  });
});
