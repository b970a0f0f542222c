import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity } from '../../kernel/auth/identity';
import { SUBGRAPH_NAMES } from '../../kernel/config';
import { ACCESS_GRANT_HEADER, signAccessGrant } from '../../kernel/platform/access-grant';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startGateway } from '../../gateway/server';
import { createLogger } from '../../kernel/logger';
import { codesOf, graphql } from '../support/graphql';
import { startStack, testConfig, type TestStack } from '../support/stack';
import { TEST_SUBGRAPH_SECRET, tokenFor } from '../support/tokens';

describe('sealed subgraphs', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  const probes = [
    ['_service', '{ _service { sdl } }'],
    ['_entities', '{ _entities(representations: [{ __typename: "Event", id: "ev-private" }]) { __typename } }'],
    ['a root field', '{ __typename }'],
  ];

  describe.each(SUBGRAPH_NAMES.map((name) => [name]))('the %s subgraph', (name) => {
    it.each(probes)('answers 401 to %s without the gateway proof', async (_what, query) => {
      const response = await graphql(stack.subgraphUrls[name]!, query);
      expect(response.status).toBe(401);
      expect(response.data).toBeUndefined();
    });

    it('answers 401 to a proof signed with another secret or a user token', async () => {
      for (const token of [await signGatewayIdentity({ userId: 'u-owner' }, 'wrong-secret-'.repeat(4)), await tokenFor('u-owner')]) {
        const response = await graphql(stack.subgraphUrls[name]!, '{ _service { sdl } }', { headers: { [GATEWAY_IDENTITY_HEADER]: token } });
        expect(response.status).toBe(401);
      }
    });

    it('serves the gateway', async () => {
      const proof = await signGatewayIdentity(null, TEST_SUBGRAPH_SECRET);
      const response = await graphql(stack.subgraphUrls[name]!, '{ _service { sdl } }', { headers: { [GATEWAY_IDENTITY_HEADER]: proof } });
      expect(response.status).toBe(200);
      expect(response.data._service.sdl).toContain('type Event');
    });
  });

  it('believes only access grants it can verify, for the caller they name', async () => {
    const query = '{ _entities(representations: [{ __typename: "Event", id: "ev-private" }]) { ... on Event { id ads { id } } } }';
    const staffFact = {
      event: { id: 'ev-private', organizationId: 'org-acme', ownerId: 'u-owner', name: 'Private', isPublic: false, currency: 'USD' },
      ticketTier: null,
      isMember: true,
    };
    const adsAs = async (userId: string, grant: string) => {
      const proof = await signGatewayIdentity({ userId }, TEST_SUBGRAPH_SECRET);
      const counter = stack.countSql();
      const response = await graphql(stack.subgraphUrls.ads!, query, { headers: { [GATEWAY_IDENTITY_HEADER]: proof, [ACCESS_GRANT_HEADER]: grant } });
      counter.stop();
      return { response, readAccess: counter.statements.some((sql) => /from platform_events/.test(sql)) };
    };
    // A stranger claiming membership, with a grant signed with another secret or made for someone else.
    for (const grant of [
      signAccessGrant('a-secret-the-subgraphs-do-not-know-0123456789', 'u-stranger', [staffFact]),
      signAccessGrant(TEST_SUBGRAPH_SECRET, 'u-staff', [staffFact]),
    ]) {
      const { response, readAccess } = await adsAs('u-stranger', grant);
      expect(readAccess).toBe(true);
      expect(response.data?._entities?.[0]?.ads ?? null).toBeNull();
      expect(codesOf(response).length).toBeGreaterThan(0);
    }
    // The staff member's own grant is taken as read.
    const { response, readAccess } = await adsAs('u-staff', signAccessGrant(TEST_SUBGRAPH_SECRET, 'u-staff', [staffFact]));
    expect(readAccess).toBe(false);
    expect(response.errors).toBeUndefined();
    expect(response.data._entities[0].id).toBe('ev-private');
  });

  it('answers SERVICE_DEGRADED without subgraph URLs when the gateway holds the wrong secret', async () => {
    const config = testConfig({ env: { SUBGRAPH_SECRET: 'a-rotated-secret-the-subgraphs-do-not-know-yet' } });
    const gateway = await startGateway({
      config,
      logger: createLogger('silent'),
      supergraphSdl: readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
      subgraphUrls: stack.subgraphUrls,
      port: 0,
      host: '127.0.0.1',
    });
    try {
      const response = await graphql(gateway.url, '{ event(id: "ev-public") { id } }');
      expect(codesOf(response)).toEqual(['SERVICE_DEGRADED']);
      expect(JSON.stringify(response)).not.toMatch(/127\.0\.0\.1|http:|Only the gateway/);
    } finally {
      await gateway.dispose();
    }
  });
});
