import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { createLogger } from '../../kernel/logger';
import { codesOf, graphql } from '../support/graphql';
import { freePort } from '../support/ports';
import { startStack, testConfig, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

describe('a subgraph that is down', () => {
  let stack: TestStack;
  let gateway: RunningGateway;

  beforeAll(async () => {
    stack = await startStack();
    gateway = await startGateway({
      config: testConfig(),
      logger: createLogger('silent'),
      supergraphSdl: readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
      subgraphUrls: { ...stack.subgraphUrls, ads: `http://127.0.0.1:${await freePort()}/graphql` },
      port: 0,
      host: '127.0.0.1',
    });
  });
  afterAll(async () => {
    await gateway.dispose();
    await stack.close();
  });

  it('answers SERVICE_DEGRADED for its fields, without its address', async () => {
    const response = await graphql(gateway.url, '{ event(id: "ev-private") { id ads { id } } }', { token: await tokenFor('u-owner') });
    expect(codesOf(response)).toEqual(['SERVICE_DEGRADED']);
    expect(JSON.stringify(response)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|http:/);
  });

  it('answers SERVICE_DEGRADED when a subgraph accepts the request but never answers', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const impatient = await startGateway({
      config: testConfig({ env: { SUBGRAPH_TIMEOUT_MS: '300' } }),
      logger: createLogger('silent'),
      supergraphSdl: readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
      subgraphUrls: { ...stack.subgraphUrls, ads: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql` },
      port: 0,
      host: '127.0.0.1',
    });
    try {
      const response = await graphql(impatient.url, '{ event(id: "ev-private") { id ads { id } } }', { token: await tokenFor('u-owner') });
      expect(codesOf(response)).toEqual(['SERVICE_DEGRADED']);
    } finally {
      await impatient.dispose();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('leaves operations on the other subgraphs unaffected', async () => {
    const response = await graphql(gateway.url, '{ event(id: "ev-private") { id offers { id } } }', { token: await tokenFor('u-owner') });
    expect(response.errors).toBeUndefined();
    expect(response.data.event.id).toBe('ev-private');
  });
});
