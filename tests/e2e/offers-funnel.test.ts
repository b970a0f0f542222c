import { addCatalog } from '../support/catalog';
import { eventually } from '../support/timing';
import { codesOf, graphql } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

describe('the offer funnel, from views to purchases, through the gateway', () => {
  let stack: TestStack;
  let offerId: string;

  beforeAll(async () => {
    stack = await startStack({ workers: true });
    await addCatalog(stack.runtime.orm, 'ev-public', 1, 'EUR');
    [{ id: offerId }] = await stack.runtime.orm.em.fork().execute<{ id: string }[]>(`select id from offers where event_id = 'ev-public'`);
    await stack.runtime.orm.em.fork().execute(`update offers set price_cents = 0 where id = ?`, [offerId]);
  });
  afterAll(() => stack.close());

  const track = async (field: 'trackOfferView' | 'trackOfferClick', userId: string, id = offerId) =>
    graphql(stack.gatewayUrl, `mutation($id: ID!) { ${field}(offerId: $id) }`, { variables: { id }, token: await tokenFor(userId) });

  it('counts views and clicks of visible offers, with the title, and reports them in the funnel', async () => {
    for (const userId of ['u-guest', 'u-vip', 'u-stranger']) expect((await track('trackOfferView', userId)).data?.trackOfferView).toBe(true);
    for (const userId of ['u-guest', 'u-vip']) expect((await track('trackOfferClick', userId)).data?.trackOfferClick).toBe(true);
    const bought = await graphql(stack.gatewayUrl, 'mutation($id: ID!) { purchaseOffer(offerId: $id, quantity: 1) { purchase { status } } }', {
      variables: { id: offerId },
      token: await tokenFor('u-vip'),
    });
    expect(bought.data?.purchaseOffer.purchase.status).toBe('COMPLETED');

    const today = new Date().toISOString().slice(0, 10);
    const analytics = await eventually(
      async () => {
        const response = await graphql(
          stack.gatewayUrl,
          `query($from: Date!, $to: Date!) { monetizationAnalytics(eventId: "ev-public", from: $from, to: $to) {
             funnel { offerViews offerClicks purchases }
             offerPerformance { offer { id } views purchases conversionRate }
           } }`,
          { variables: { from: today, to: today }, token: await tokenFor('u-outsider') },
        );
        const funnel = response.data?.monetizationAnalytics?.funnel;
        return funnel?.purchases === 1 && funnel.offerViews === 3 && funnel.offerClicks === 2 ? response.data.monetizationAnalytics : null;
      },
      15_000,
      'the funnel to show 3 views, 2 clicks and 1 purchase',
    );
    expect(analytics.offerPerformance).toEqual([{ offer: { id: offerId }, views: 3, purchases: 1, conversionRate: expect.closeTo(1 / 3, 5) }]);
    const [{ offer_title: title }] = await stack.runtime.orm.em
      .fork()
      .execute<{ offer_title: string }[]>(`select offer_title from monetization_events where event_type = 'OfferViewed' limit 1`);
    expect(title).toBe('Offer 1');
  });

  it('refuses to count an offer the caller cannot see, and writes nothing', async () => {
    await addCatalog(stack.runtime.orm, 'ev-private', 1);
    const [{ id: privateOffer }] = await stack.runtime.orm.em.fork().execute<{ id: string }[]>(`select id from offers where event_id = 'ev-private'`);
    const before = await stack.runtime.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from outbox_messages`);
    expect(codesOf(await track('trackOfferView', 'u-outsider', privateOffer))).toEqual(['NOT_FOUND']);
    await stack.runtime.orm.em.fork().execute(`update offers set is_active = false where id = ?`, [offerId]);
    expect(codesOf(await track('trackOfferClick', 'u-guest'))).toEqual(['NOT_FOUND']);
    const after = await stack.runtime.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from outbox_messages`);
    expect(after).toEqual(before);
  });
});
