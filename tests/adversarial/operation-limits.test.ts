import { graphql } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

/** A request as a hostile client would send it, with its raw body. */
async function post(url: string, body: string, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await response.text();
  return { status: response.status, text, json: (() => { try { return JSON.parse(text); } catch { return undefined; } })() };
}

const OFFER_FIELDS =
  'id title price { amountCents currency formatted } originalPrice { amountCents currency formatted } inventory { total sold reserved available }';
const offersSelection = 'offers { id title price { amountCents formatted } inventory { total sold reserved available } }';
describe('operation limits at the gateway, in production mode', () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    // Production refuses stand-ins (issue 16): the real Kafka of the test services, not the in-process bus.
    stack = await startStack({ kafka: true, env: { NODE_ENV: 'production' } });
    token = await tokenFor('u-owner');
  });
  afterAll(() => stack.close());

  // Our schema has no recursive type, so depth is reached through introspection's own recursion.
  const tooDeep = `{ __schema { types { ${'fields { type { '.repeat(7)}name${' } }'.repeat(7)} } } }`;
  const tooCostly = `{ ${Array.from({ length: 12 }, (_, i) => `e${i}: event(id: "ev-public") { offers { ${OFFER_FIELDS} } ads { id name mediaUrl clickUrl placements } }`).join(' ')} }`;
  const hostile: [string, string][] = [
    ['too deep', tooDeep],
    ['with too many aliases', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: event(id: "ev-public") { id }`).join(' ')} }`],
    ['with too many tokens', `{ event(id: "ev-public") { ${Array.from({ length: 4000 }, () => 'id').join(' ')} } }`],
    ['with too many directives', `{ __typename ${'@include(if: true) '.repeat(60)} }`],
    ['too costly for its list sizes', tooCostly],
    ['introspecting the schema', '{ __schema { types { name } } }'],
  ];

  it.each(hostile)('refuses an operation %s, and no subgraph is called', async (_what, operation) => {
    const before = stack.subgraphRequests();
    const response = await post(stack.gatewayUrl, JSON.stringify({ query: operation }), token);
    expect(response.status).toBe(400);
    expect(response.json?.errors?.[0]?.extensions?.code).toMatch(/GRAPHQL_VALIDATION_FAILED|GRAPHQL_PARSE_FAILED|BAD_REQUEST/);
    // Limits are not echoed back to the client.
    expect(response.text).not.toMatch(/\b(12|15|3000|25|5000)\b/);
    expect(stack.subgraphRequests()).toBe(before);
  });

  it('costs the same document by its variables each time (a cached cost never lets a larger list through)', async () => {
    const query = 'query Mine($n: Int) { myPurchases(limit: $n) { id status } }';
    const send = (n: number) => post(stack.gatewayUrl, JSON.stringify({ query, variables: { n } }), token);
    expect((await send(1)).status).toBe(200);
    const tooMany = await send(100_000);
    expect(tooMany.status).toBe(400);
    expect(tooMany.json?.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await send(1)).status).toBe(200);
    expect((await send(100_000)).status).toBe(400);
  });

  it('hides field suggestions for a misspelled field', async () => {
    const response = await post(stack.gatewayUrl, JSON.stringify({ query: '{ evnt(id: "ev-public") { id } }' }));
    expect(response.status).toBe(400);
    expect(response.text).not.toMatch(/Did you mean/i);
  });

  it('refuses a 3 MB body with 413 before reading it', async () => {
    const before = stack.subgraphRequests();
    const response = await post(stack.gatewayUrl, JSON.stringify({ query: `{ __typename } #${'x'.repeat(3 * 1024 * 1024)}` }));
    expect(response.status).toBe(413);
    expect(response.text).not.toMatch(/at .*\.js/);
    expect(stack.subgraphRequests()).toBe(before);
  });

  it('refuses a batch of 50 operations', async () => {
    const before = stack.subgraphRequests();
    const batch = Array.from({ length: 50 }, () => ({ query: '{ event(id: "ev-public") { id } }' }));
    const response = await post(stack.gatewayUrl, JSON.stringify(batch));
    expect(response.status).toBe(400);
    expect(stack.subgraphRequests()).toBe(before);
  });

  it('still serves the dashboard-sized query', async () => {
    const response = await graphql(stack.gatewayUrl, `{ event(id: "ev-private") { id ${offersSelection} ads { id name } } }`, { token });
    expect(response.errors).toBeUndefined();
  });
});

