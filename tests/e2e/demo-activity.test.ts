import { demoAttendees, playDemoActivity } from '../../demo/activity';
import { seedDemoCatalog } from '../../demo/seed';
import { applySeed } from '../../kernel/platform/seed';
import { graphql } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { eventually } from '../support/timing';
import { TEST_JWT_SECRET, tokenFor } from '../support/tokens';

/** The embedded demo's morning of activity (`npm start`), played on the real services. */
describe('the demo activity', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ workers: true });
    await seedDemoCatalog(stack.runtime.orm);
    await applySeed(stack.runtime.orm, demoAttendees);
  });
  afterAll(() => stack.close());

  it('goes through the API only, so stock, analytics and the waitlist all tell the same story', async () => {
    const summary = await playDemoActivity({ gatewayUrl: stack.gatewayUrl, jwtSecret: TEST_JWT_SECRET, logger: stack.runtime.logger });
    expect(summary).toEqual({ views: 27, clicks: 16, purchases: 9, impressions: 18, adClicks: 3, waitlistJoins: 6 });

    const today = new Date().toISOString().slice(0, 10);
    const owner = await tokenFor('u-owner');
    const analytics = await eventually(
      async () => {
        const response = await graphql(
          stack.gatewayUrl,
          `query($from: Date!, $to: Date!) { event(id: "ev-private") {
             offers { inventory { sold } }
             monetizationAnalytics(from: $from, to: $to) {
               funnel { offerViews offerClicks purchases }
               offerPerformance { unitsSold }
               adPerformance { impressions clicks }
               waitlist { joined offersSent accepted declined }
             } } }`,
          { variables: { from: today, to: today }, token: owner },
        );
        const event = response.data?.event;
        // Waitlist facts arrive on their own partitions: the offer sent after the decline may come last.
        const waitlist = event?.monetizationAnalytics.waitlist;
        const settled = event?.monetizationAnalytics.funnel.purchases === summary.purchases && waitlist?.declined === 1 && waitlist.offersSent === 3;
        return settled ? event : null;
      },
      15_000,
      'the analytics of the demo activity',
    );
    expect(analytics.monetizationAnalytics.funnel).toEqual({ offerViews: 27, offerClicks: 16, purchases: 9 });
    expect(analytics.monetizationAnalytics.adPerformance).toEqual([{ impressions: 18, clicks: 3 }]);
    expect(analytics.monetizationAnalytics.waitlist).toEqual({ joined: 6, offersSent: 3, accepted: 1, declined: 1 });
    // Units sold by the offers subgraph's stock and by the analytics' rollups agree (some bought two).
    const stockSold = analytics.offers.reduce((total: number, offer: { inventory: { sold: number } }) => total + offer.inventory.sold, 0);
    const unitsSold = analytics.monetizationAnalytics.offerPerformance.reduce((total: number, row: { unitsSold: number }) => total + row.unitsSold, 0);
    expect(stockSold).toBe(unitsSold);
    expect(stockSold).toBeGreaterThan(summary.purchases);
  });
});
