import { randomUUID } from 'node:crypto';
import { addCatalog } from '../support/catalog';
import { codesOf, graphql } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';

describe('anonymous callers are budgeted and counted per client address', () => {
  let stack: TestStack;
  let adId: string;
  const sql = <T>(text: string, params: unknown[] = []) => stack.runtime.orm.em.fork().execute<T[]>(text, params);

  beforeAll(async () => {
    stack = await startStack({
      env: { TRUSTED_PROXY_HEADER: 'x-forwarded-for', RATE_LIMIT_TRACKING_PER_MINUTE: '3', ADS_ANONYMOUS_IMPRESSION_WINDOW_MS: '60000' },
    });
    await addCatalog(stack.runtime.orm, 'ev-public', 1, 'USD');
    [{ id: adId }] = await sql<{ id: string }>(`select id from ads where event_id = 'ev-public'`);
  });
  afterAll(() => stack.close());

  // Addresses of their own per run: budgets live in Redis across runs.
  const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
  const from = (ip: string, query: string) => graphql(stack.gatewayUrl, query, { variables: { adId }, headers: { 'x-forwarded-for': `10.0.0.1, ${ip}` } });
  const CLICK = 'mutation($adId: ID!) { trackAdClick(adId: $adId) }';
  const IMPRESSION = 'mutation($adId: ID!) { trackAdImpression(adId: $adId) }';

  it('gives every anonymous address its own tracking budget: one client over it locks out nobody else', async () => {
    await stack.runtime.redis.del('ratelimit:track:anonymous');
    const [greedy, other] = [address(), address()];
    const answers = [];
    for (let index = 0; index < 4; index += 1) answers.push(await from(greedy, CLICK));
    expect(answers.slice(0, 3).map((answer) => answer.data?.trackAdClick)).toEqual([true, true, true]);
    expect(codesOf(answers[3])).toEqual(['RATE_LIMITED']);
    expect((await from(other === greedy ? `${greedy}0` : other, CLICK)).data?.trackAdClick).toBe(true);
  });

  it("counts an anonymous viewer's impressions of an ad once per window, and each viewer's", async () => {
    await sql(`delete from ad_events`);
    const [viewer, second] = [`203.0.113.${Math.floor(Math.random() * 100) + 1}`, `203.0.113.${Math.floor(Math.random() * 100) + 150}`];
    const answers = [];
    for (let index = 0; index < 3; index += 1) answers.push(await from(viewer, IMPRESSION));
    expect(answers.map((answer) => answer.data?.trackAdImpression)).toEqual([true, true, true]);
    expect((await from(second, IMPRESSION)).data?.trackAdImpression).toBe(true);
    const rows = await sql<{ n: string }>(`select count(*) as n from ad_events where ad_id = ? and event_type = 'IMPRESSION'`, [adId]);
    expect(Number(rows[0].n)).toBe(2);
  });

  it('does not trust an address the client put before the proxy\'s own entry', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250) + 1}`;
    for (let index = 0; index < 3; index += 1) expect((await from(ip, CLICK)).data?.trackAdClick).toBe(true);
    // A spoofed first entry changes nothing: the last entry (the proxy's) is the caller.
    const spoofed = await graphql(stack.gatewayUrl, CLICK, { variables: { adId }, headers: { 'x-forwarded-for': `${randomUUID()}, ${ip}` } });
    expect(codesOf(spoofed)).toEqual(['RATE_LIMITED']);
  });
});
