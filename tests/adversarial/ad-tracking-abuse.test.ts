import { addCatalog } from '../support/catalog';
import { codesOf, graphql } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

describe('ad tracking that would inflate performance', () => {
  let stack: TestStack;
  const sql = <T>(text: string) => stack.runtime.orm.em.fork().execute<T[]>(text);

  beforeAll(async () => {
    stack = await startStack();
    await addCatalog(stack.runtime.orm, 'ev-public', 3, 'EUR');
  });
  afterAll(() => stack.close());

  it('refuses impressions and clicks on paused, finished and other-session ads, and writes nothing', async () => {
    const [paused, finished, targeted] = await sql<{ id: string }>(`select id from ads where event_id = 'ev-public' order by created_at`);
    await sql(`update ads set is_active = false where id = '${paused.id}'`);
    await sql(`update ads set starts_at = now() - interval '2 days', ends_at = now() - interval '1 day' where id = '${finished.id}'`);
    await sql(`update ads set target_sessions = '{s-open}' where id = '${targeted.id}'`);
    const token = await tokenFor('u-guest');
    const attempts = [
      ['trackAdClick(adId: $adId)', paused.id, undefined],
      ['trackAdImpression(adId: $adId, sessionId: $sessionId)', finished.id, 's-open'],
      ['trackAdImpression(adId: $adId, sessionId: $sessionId)', targeted.id, 's-other'],
    ] as const;
    for (const [field, adId, sessionId] of attempts) {
      const declared = sessionId === undefined ? '$adId: ID!' : '$adId: ID!, $sessionId: ID';
      const response = await graphql(stack.gatewayUrl, `mutation(${declared}) { ${field} }`, {
        variables: sessionId === undefined ? { adId } : { adId, sessionId },
        token,
      });
      expect(codesOf(response)).toEqual(['NOT_FOUND']);
    }
    expect(await sql(`select id from ad_events`)).toEqual([]);

    const counted = await graphql(stack.gatewayUrl, 'mutation($adId: ID!, $sessionId: ID) { trackAdImpression(adId: $adId, sessionId: $sessionId) }', {
      variables: { adId: targeted.id, sessionId: 's-open' },
      token,
    });
    expect(counted.data?.trackAdImpression).toBe(true);
  });
});
