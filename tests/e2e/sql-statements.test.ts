import { EventCatalogDocument } from '../generated/operations';
import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity } from '../../kernel/auth/identity';
import { SeedFile } from '../../kernel/contracts/platform-records';
import { applySeed } from '../../kernel/platform/seed';
import { addCatalog } from '../support/catalog';
import { graphql } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { TEST_SUBGRAPH_SECRET, tokenFor } from '../support/tokens';

describe('SQL statements per dashboard request', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ subgraphWorkers: false });
    await addCatalog(stack.runtime.orm, 'ev-private', 1);
  });

  it('resolves any number of Event references in one _entities request with the same statements', async () => {
    const extra = ['a', 'b', 'c'].flatMap((suffix) => [
      { id: `ev-private-${suffix}`, organizationId: 'org-acme', ownerId: 'u-owner', name: 'Private', isPublic: false, currency: 'USD' },
      { id: `ev-public-${suffix}`, organizationId: 'org-rival', ownerId: 'u-outsider', name: 'Public', isPublic: true, currency: 'EUR' },
    ]);
    await applySeed(stack.runtime.orm, SeedFile.parse({ events: extra }));
    for (const event of extra) await addCatalog(stack.runtime.orm, event.id, 2, event.currency);

    // What the gateway sends for Event.ads: one _entities request with every representation.
    const countFor = async (eventIds: string[]) => {
      const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Event { id ads { id } } } }`;
      const proof = await signGatewayIdentity({ userId: 'u-staff' }, TEST_SUBGRAPH_SECRET);
      const counter = stack.countSql();
      const response = await graphql(stack.subgraphUrls.ads!, query, {
        variables: { representations: eventIds.map((id) => ({ __typename: 'Event', id })) },
        headers: { [GATEWAY_IDENTITY_HEADER]: proof },
      });
      counter.stop();
      // u-staff organizes the private events only: the public ones' ads are refused.
      expect(response.data._entities).toHaveLength(eventIds.length);
      expect(response.data._entities.filter((event: { ads?: unknown[] } | null) => event?.ads?.length === 2)).toHaveLength(
        eventIds.filter((id) => id.startsWith('ev-private-')).length,
      );
      return counter.statements.length;
    };
    const two = await countFor(['ev-private-a', 'ev-public-a']);
    const eight = await countFor(['ev-private', 'ev-public', ...extra.map((event) => event.id)]);
    expect(eight).toBe(two);
  });

  afterAll(() => stack.close());

  async function statementsFor(eventId: string, userId: string): Promise<{ count: number; offers: number; ads: number }> {
    const token = await tokenFor(userId);
    const counter = stack.countSql();
    const response = await graphql(stack.gatewayUrl, EventCatalogDocument, { variables: { eventId }, token });
    counter.stop();
    expect(response.errors).toBeUndefined();
    return { count: counter.statements.length, offers: response.data.event.offers.length, ads: response.data.event.ads.length };
  }

  it("reads the caller's access to the event once per request, though two subgraphs need it", async () => {
    const token = await tokenFor('u-staff');
    const counter = stack.countSql();
    const response = await graphql(stack.gatewayUrl, EventCatalogDocument, { variables: { eventId: 'ev-private' }, token });
    counter.stop();
    expect(response.errors).toBeUndefined();
    expect(response.data.event.ads.length).toBeGreaterThan(0);
    // The offers subgraph read it and granted it; the ads subgraph took the grant.
    expect(counter.statements.filter((sql) => /from platform_events/.test(sql))).toHaveLength(1);
    // The grant stays between the gateway and the subgraphs.
    expect(response.extensions?.eventAccess).toBeUndefined();
    expect(JSON.stringify(response)).not.toContain('eventAccess');
  });

  it('issues the same number of statements for event { offers ads } with 1 and with 50 offers', async () => {
    const one = await statementsFor('ev-private', 'u-staff');
    await addCatalog(stack.runtime.orm, 'ev-private', 49);
    const fifty = await statementsFor('ev-private', 'u-staff');
    expect(one).toMatchObject({ offers: 1, ads: 1 });
    expect(fifty).toMatchObject({ offers: 50, ads: 50 });
    expect(fifty.count).toBe(one.count);
    // Access checks, the offers of the event, the event reference and the ads: a small constant.
    expect(one.count).toBeLessThanOrEqual(8);
  });
});
