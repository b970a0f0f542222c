import { getIntrospectionQuery } from 'graphql';
import { graphql } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';
import { HOSTILE, KIND_WORDS } from '../support/hostile-operations';
import type { LimitKind } from '../../gateway/operation-limits';

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

const offersSelection = 'offers { id title price { amountCents formatted } inventory { total sold reserved available } }';
describe('operation limits at the gateway, in production mode', () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production' } });
    token = await tokenFor('u-owner');
  });
  afterAll(() => stack.close());

  const hostile: [string, LimitKind | 'introspection', string][] = HOSTILE.map(([what, kind, operation]) => [what, kind, operation]);
  hostile.push(['introspecting the schema', 'introspection', '{ __schema { types { name } } }']);

  it.each(hostile)('refuses an operation %s, saying which limit without its number, and no subgraph is called', async (_what, kind, operation) => {
    const before = stack.subgraphRequests();
    const response = await post(stack.gatewayUrl, JSON.stringify({ query: operation }), token);
    expect(response.status).toBe(400);
    const [error] = response.json?.errors ?? [];
    expect(error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    if (kind !== 'introspection') {
      expect(error.extensions.limit).toBe(kind);
      expect(error.message).toMatch(KIND_WORDS[kind]);
      expect(error.message).not.toMatch(/Syntax Error/i);
    }
    // Limits are not echoed back to the client.
    expect(response.text).not.toMatch(/\b(12|15|3000|25|10000|10,000)\b/);
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


describe('bad variables at the gateway, the first time a document is seen', () => {
  let stack: TestStack;
  let token: string;

  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'production' } });
    token = await tokenFor('u-owner');
  });
  afterAll(() => stack.close());

  // Each document is new to this gateway (its name is unique), so no cache has seen it: the cost
  // rule used to cost raw variables first and answer 500.
  let documents = 0;
  const fresh = (operation: string) => operation.replace(/^(query|mutation) (\w+)/, (_m, kind, name) => `${kind} ${name}${(documents += 1)}`);
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['a missing variable', 'mutation Buy($offerId: ID!, $quantity: Int!) { purchaseOffer(offerId: $offerId, quantity: $quantity) { purchase { id } } }', { offerId: 'o-1' }, 'quantity'],
    ['a mistyped variable', 'mutation Buy($offerId: ID!, $quantity: Int!) { purchaseOffer(offerId: $offerId, quantity: $quantity) { purchase { id } } }', { offerId: 'o-1', quantity: 'two' }, 'quantity'],
    ['an Int above 2^31', 'query Mine($n: Int) { myPurchases(limit: $n) { id } }', { n: 2 ** 31 }, 'n'],
    [
      'an enum typo',
      'mutation Export($eventId: ID!, $from: Date!, $to: Date!, $format: ReportFormat!) { exportMonetizationReport(eventId: $eventId, from: $from, to: $to, format: $format) { filename } }',
      { eventId: 'ev-private', from: '2026-01-01', to: '2026-01-31', format: 'CSVV' },
      'format',
    ],
    [
      'an unknown input field',
      'mutation Create($input: CreateOfferInput!) { createOffer(input: $input) { id } }',
      { input: { eventId: 'ev-private', title: 'T', type: 'DIGITAL', price: { amountCents: 100, currency: 'USD' }, colour: 'red' } },
      'input',
    ],
  ];

  it.each(cases)('answers %s with 400 BAD_USER_INPUT naming the field, and calls no subgraph', async (_what, operation, variables, field) => {
    const before = stack.subgraphRequests();
    const response = await post(stack.gatewayUrl, JSON.stringify({ query: fresh(operation), variables }), token);
    expect(response.status).toBe(400);
    expect(response.json?.errors).toHaveLength(1);
    expect(response.json.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field });
    expect(response.text).not.toMatch(/Did you mean|at .*\.(js|ts)/);
    expect(stack.subgraphRequests()).toBe(before);
  });
});

describe('operation limits in development', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ env: { NODE_ENV: 'development' } });
  });
  afterAll(() => stack.close());

  it("accepts graphql-js's standard introspection query, as code generators and IDEs send it", async () => {
    const response = await post(stack.gatewayUrl, JSON.stringify({ query: getIntrospectionQuery() }));
    expect(response.status).toBe(200);
    expect(response.json.errors).toBeUndefined();
    expect(response.json.data.__schema.types.length).toBeGreaterThan(20);
  });

  it('still refuses what the limits refuse', async () => {
    for (const [, kind, operation] of HOSTILE) {
      const response = await post(stack.gatewayUrl, JSON.stringify({ query: operation }));
      expect({ kind, status: response.status, limit: response.json?.errors?.[0]?.extensions?.limit }).toEqual({ kind, status: 400, limit: kind });
    }
  });
});
