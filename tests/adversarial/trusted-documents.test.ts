import { readFileSync } from 'node:fs';
import path from 'node:path';
import { documentHash, normalizeDocument, operationDocuments } from '../../gateway/trusted-documents';
import { collect, liveClient } from '../support/live';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

const ownOperations = readFileSync(path.resolve(__dirname, '../../schema/operations/vertical-slice.graphql'), 'utf8');
const eventCatalog = operationDocuments(ownOperations).find((operation) => operation.operationName === 'EventCatalog')!;

async function post(url: string, body: object, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
}

describe('trusted documents at the gateway', () => {
  describe('in enforce mode', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startStack({ env: { TRUSTED_DOCUMENTS: 'enforce' } });
    });
    afterAll(() => stack.close());

    it('serves a known operation sent as text, whatever its whitespace', async () => {
      const reformatted = `# the dashboard's catalog\n${eventCatalog.document.replace(/\n\s*/g, ' ')}`;
      const response = await post(stack.gatewayUrl, { query: reformatted, variables: { eventId: 'ev-public' } }, await tokenFor('u-outsider'));
      expect(response.status).toBe(200);
      expect(response.body.data.event.id).toBe('ev-public');
    });

    it('serves a known operation sent by hash alone', async () => {
      const response = await post(
        stack.gatewayUrl,
        { documentId: `sha256:${documentHash(normalizeDocument(eventCatalog.document))}`, variables: { eventId: 'ev-public' } },
        await tokenFor('u-outsider'),
      );
      expect(response.status).toBe(200);
      expect(response.body.data.event.id).toBe('ev-public');
    });

    it('applies the same rule to operations sent over graphql-ws', async () => {
      const client = liveClient(stack.gatewayUrl, await tokenFor('u-outsider'));
      try {
        const trusted = collect(client, eventCatalog.document, { eventId: 'ev-public' });
        await trusted.done;
        expect(trusted.errors).toEqual([]);
        expect((trusted.data[0] as { data: { event: { id: string } } }).data.event.id).toBe('ev-public');
        const untrusted = collect(client, '{ event(id: "ev-public") { id } }', {});
        await untrusted.done;
        expect(JSON.stringify(untrusted.errors)).toContain('PERSISTED_QUERY_NOT_FOUND');
      } finally {
        await client.dispose();
      }
    });

    it('refuses operations sent with GET, which carry no body to check', async () => {
      const query = encodeURIComponent('{ event(id: "ev-public") { id } }');
      const response = await fetch(`${stack.gatewayUrl}?query=${query}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(
        'PERSISTED_QUERY_NOT_FOUND',
      );
    });

    it('refuses any other operation before a subgraph is called', async () => {
      const before = stack.subgraphRequests();
      for (const body of [{ query: '{ event(id: "ev-public") { id offers { title } } }' }, { documentId: 'sha256:0000' }]) {
        const response = await post(stack.gatewayUrl, body);
        expect(response.status).toBe(400);
        expect(response.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      }
      expect(stack.subgraphRequests()).toBe(before);
    });
  });

  describe('in log mode', () => {
    let stack: TestStack;
    beforeAll(async () => {
      stack = await startStack({ env: { TRUSTED_DOCUMENTS: 'log' } });
    });
    afterAll(() => stack.close());

    it('serves an unknown operation', async () => {
      const response = await post(stack.gatewayUrl, { query: '{ event(id: "ev-public") { id } }' });
      expect(response.status).toBe(200);
      expect(response.body.data.event.id).toBe('ev-public');
    });
  });

  it('compiles every operation of the contract and of the project into the manifest', () => {
    const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../gateway/generated/trusted-documents.json'), 'utf8'));
    const names = Object.values(manifest).map((entry) => (entry as { operationName: string }).operationName);
    expect(names).toEqual(expect.arrayContaining(['EventMonetization', 'PurchaseOffer', 'WaitlistUpdates', 'EventCatalog']));
  });
});
