import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity } from '../../kernel/auth/identity';
import { startStack, type TestStack } from '../support/stack';
import { TEST_SUBGRAPH_SECRET } from '../support/tokens';

jest.setTimeout(120_000);

/** A subgraph answers POST /graphql without Express (kernel/subgraph/graphql-post.ts): same answers as the Express chain. */
describe("a subgraph's POST /graphql", () => {
  let stack: TestStack;
  let url: string;
  let proof: string;

  beforeAll(async () => {
    stack = await startStack({ subgraphs: ['offers'], gateway: false });
    url = stack.subgraphUrls.offers!;
    proof = await signGatewayIdentity({ userId: 'u-owner' }, TEST_SUBGRAPH_SECRET);
  });
  afterAll(() => stack.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [GATEWAY_IDENTITY_HEADER]: proof, ...headers }, body });

  const errorsOf = async (response: Response) => ((await response.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors;

  it('serves the gateway, counted, with no-store and a content length', async () => {
    const before = stack.subgraphRequests();
    const response = await post(JSON.stringify({ query: 'query($id: ID!) { event(id: $id) { id offers { id } } }', variables: { id: 'ev-private' } }), {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const text = await response.text();
    expect(Number(response.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(JSON.parse(text).data.event.id).toBe('ev-private');
    expect(stack.subgraphRequests()).toBe(before + 1);
  });

  it('answers 401 before reading the body when the proof is missing', async () => {
    const response = await post('{ not json', { [GATEWAY_IDENTITY_HEADER]: '' });
    expect(response.status).toBe(401);
    expect((await errorsOf(response))[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('answers 400 BAD_REQUEST to a body that is not JSON, or JSON that is not an object', async () => {
    for (const body of ['{ not json', '"a string"']) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect((await errorsOf(response))[0]).toEqual({ message: 'The request could not be read.', extensions: { code: 'BAD_REQUEST' } });
    }
  });

  it('answers 413 to a body over 1 MB', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(1024 * 1024) }));
    expect(response.status).toBe(413);
    expect((await errorsOf(response))[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('leaves other content types to the Express chain, which Apollo refuses as before', async () => {
    const response = await post(JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'text/plain' });
    expect(response.status).toBe(400);
  });
});
