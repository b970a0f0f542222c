import { addCatalog } from '../support/catalog';
import { codesOf, graphql } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

describe('per-user rate limits on mutations that cost money or write', () => {
  let stack: TestStack;
  let adId: string;
  let offerId: string;

  beforeAll(async () => {
    stack = await startStack({ env: { RATE_LIMIT_TRACKING_PER_MINUTE: '3', RATE_LIMIT_PURCHASES_PER_MINUTE: '2' } });
    await stack.runtime.redis.flushdb();
    await addCatalog(stack.runtime.orm, 'ev-public', 1, 'EUR');
    const [ad] = await stack.runtime.orm.em.fork().execute<{ id: string }[]>(`select id from ads where event_id = 'ev-public'`);
    const [offer] = await stack.runtime.orm.em.fork().execute<{ id: string }[]>(`select id from offers where event_id = 'ev-public'`);
    adId = ad.id;
    offerId = offer.id;
  });
  afterAll(() => stack.close());

  const count = async (sql: string) => Number((await stack.runtime.orm.em.fork().execute<{ n: string }[]>(sql))[0].n);

  it('refuses the click over the budget with RATE_LIMITED and a retry time, and writes nothing for it', async () => {
    const token = await tokenFor('u-vip');
    const answers = [];
    for (let i = 0; i < 4; i += 1) {
      answers.push(await graphql(stack.gatewayUrl, 'mutation($adId: ID!) { trackAdClick(adId: $adId) }', { variables: { adId }, token }));
    }
    expect(answers.slice(0, 3).every((answer) => answer.data?.trackAdClick === true)).toBe(true);
    expect(codesOf(answers[3])).toEqual(['RATE_LIMITED']);
    expect(answers[3].errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
    expect(await count(`select count(*) as n from ad_events where ad_id = '${adId}'`)).toBe(3);

    // Another user has a budget of their own.
    const other = await graphql(stack.gatewayUrl, 'mutation($adId: ID!) { trackAdClick(adId: $adId) }', {
      variables: { adId },
      token: await tokenFor('u-guest'),
    });
    expect(other.data?.trackAdClick).toBe(true);
  });

  it('refuses the purchase over the budget and reserves nothing for it', async () => {
    const token = await tokenFor('u-staff');
    const purchase = () =>
      graphql(stack.gatewayUrl, 'mutation($offerId: ID!) { purchaseOffer(offerId: $offerId, quantity: 1) { purchase { id } } }', {
        variables: { offerId },
        token,
      });
    expect((await purchase()).errors).toBeUndefined();
    expect((await purchase()).errors).toBeUndefined();
    const refused = await purchase();
    expect(codesOf(refused)).toEqual(['RATE_LIMITED']);
    expect(await count(`select count(*) as n from offer_purchases where offer_id = '${offerId}'`)).toBe(2);
  });

  it('does not spend the budget of a caller the access rule refuses', async () => {
    const token = await tokenFor('u-outsider');
    for (let i = 0; i < 5; i += 1) {
      const answer = await graphql(stack.gatewayUrl, 'mutation($adId: ID!) { trackAdClick(adId: $adId) }', {
        variables: { adId: '00000000-0000-0000-0000-000000000000' },
        token,
      });
      expect(codesOf(answer)).toEqual(['NOT_FOUND']);
    }
    expect(await stack.runtime.redis.exists('ratelimit:track:u-outsider')).toBe(0);
  });
});
