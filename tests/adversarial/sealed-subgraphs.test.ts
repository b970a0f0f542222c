import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity } from '../../kernel/auth/identity';
import { SUBGRAPH_NAMES } from '../../kernel/config';
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
