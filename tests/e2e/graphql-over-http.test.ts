import { auditServer, type AuditFail, type AuditResult } from 'graphql-http';
import { startStack, type TestStack } from '../support/stack';

/**
 * graphql-http's audit: the GraphQL-over-HTTP spec's MUSTs (errors), SHOULDs (warnings) and MAYs
 * (notices). In production five of its cases ask for `__type`, which production refuses on purpose
 * (introspection off); README, "GraphQL over HTTP".
 */
const INTROSPECTION_AUDITS = ['BF61', '2EA1', '28B9', 'D6D5', '6A70'];

async function audit(env: 'development' | 'production'): Promise<{ stack: TestStack; results: AuditResult[] }> {
  const stack = await startStack({ kafka: env === 'production', env: { NODE_ENV: env } });
  return { stack, results: await auditServer({ url: stack.gatewayUrl }) };
}

const notOk = (results: AuditResult[]) => results.filter((result): result is AuditFail => result.status !== 'ok');

describe('GraphQL over HTTP: graphql-http audit of the gateway', () => {
  it('reports every case ok in development (no warning, no notice)', async () => {
    const { stack, results } = await audit('development');
    try {
      expect(notOk(results).map((result) => `${result.id} ${result.name}`)).toEqual([]);
      expect(results.length).toBeGreaterThanOrEqual(61);
    } finally {
      await stack.close();
    }
  });

  it('reports in production only the cases that introspect, refused because introspection is off', async () => {
    const { stack, results } = await audit('production');
    try {
      const failing = notOk(results);
      expect(failing.map((result) => result.id).sort()).toEqual([...INTROSPECTION_AUDITS].sort());
      for (const result of failing) {
        expect(await result.response.text()).toMatch(/introspection is not allowed/);
      }
    } finally {
      await stack.close();
    }
  });
});

describe('GraphQL over HTTP: status codes and CSRF prevention', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ kafka: true, env: { NODE_ENV: 'production' } });
  });
  afterAll(() => stack.close());

  const post = (body: unknown, headers: Record<string, string>) =>
    fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it.each([
    ['a parse error', { query: '{ event(' }],
    ['a validation error', { query: '{ nope }' }],
    ['a variable that does not coerce', { query: 'query Q($n: Int) { myPurchases(limit: $n) { id } }', variables: { n: 'ten' } }],
    ['a limit refusal', { query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: event(id: "ev-public") { id }`).join(' ')} }` }],
  ])('answers %s with 200 to a client accepting only application/json, 400 to one accepting application/graphql-response+json', async (_what, body) => {
    const legacy = await post(body, { accept: 'application/json' });
    expect(legacy.status).toBe(200);
    expect(legacy.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await legacy.json()) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
    const modern = await post(body, { accept: 'application/graphql-response+json' });
    expect(modern.status).toBe(400);
    expect(modern.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  });

  it('answers an operation name the document lacks with a 400 BAD_REQUEST naming it, not an internal error', async () => {
    const response = await post(
      { query: 'query Other { event(id: "ev-public") { id } }', operationName: 'EventMonetization' },
      { accept: 'application/graphql-response+json' },
    );
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(errors).toEqual([expect.objectContaining({ message: 'Unknown operation named "EventMonetization".', extensions: expect.objectContaining({ code: 'BAD_REQUEST' }) })]);
  });

  it('still answers a malformed request (no query) with 400 whatever the client accepts', async () => {
    expect((await post({ variables: {} }, { accept: 'application/json' })).status).toBe(400);
  });

  it('serves a query over GET without cookies, and refuses a mutation over GET', async () => {
    const get = (query: string) => fetch(`${stack.gatewayUrl}?query=${encodeURIComponent(query)}`, { headers: { accept: 'application/json' } });
    const query = await get('{ event(id: "ev-public") { id } }');
    expect(query.status).toBe(200);
    expect(((await query.json()) as { data: { event: { id: string } } }).data.event.id).toBe('ev-public');
    const mutation = await get('mutation { trackAdClick(adId: "00000000-0000-4000-8000-000000000001") }');
    expect(mutation.status).toBe(405);
  });

  it('keeps CSRF prevention for a GET carrying cookies and for a POST a browser could send cross-site', async () => {
    const before = stack.subgraphRequests();
    const withCookie = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ event(id: "ev-public") { id } }')}`, {
      headers: { accept: 'application/json', cookie: 'session=abc' },
    });
    expect(withCookie.status).toBe(400);
    expect(await withCookie.text()).toMatch(/CSRF/i);
    const simplePost = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { trackAdClick(adId: "00000000-0000-4000-8000-000000000001") }' }),
    });
    expect(simplePost.status).toBe(400);
    expect(stack.subgraphRequests()).toBe(before);
  });
});
