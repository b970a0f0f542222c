import { readFileSync } from 'node:fs';
import path from 'node:path';
import { print } from 'graphql';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { createLogger } from '../../kernel/logger';
import type { SubgraphName } from '../../kernel/config';
import { insertAd } from '../support/ads';
import { addAnalyticsEvent, contractOperation, ingest, monetizationEnvelope } from '../support/analytics';
import { graphql, type GraphQLResponse } from '../support/graphql';
import { insertOffer } from '../support/offers';
import { freePort } from '../support/ports';
import { startStack, testConfig, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

/**
 * Issue 16: one subgraph that cannot answer must not blank the organizer dashboard. The contract's
 * `EventMonetization` runs through a gateway whose route to one subgraph leads nowhere.
 */
describe("the dashboard's EventMonetization while one subgraph is down", () => {
  const dashboard = print(contractOperation('dashboard-event.graphql', 'EventMonetization'));
  let stack: TestStack;
  const opened: RunningGateway[] = [];
  let eventId: string;
  let offerId: string;
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    stack = await startStack({ gateway: false });
    eventId = await addAnalyticsEvent(stack.runtime.orm);
    offerId = (await insertOffer(stack.runtime.orm, { eventId, title: 'Lounge pass', priceCents: 2500 })).id;
    await insertAd(stack.runtime.orm, eventId, { name: 'Sponsor banner' });
    await ingest(stack.runtime.orm, [
      monetizationEnvelope('PurchaseCompleted', { eventId, offerId, userId: 'u-vip', quantity: 2, amountCents: 5000, currency: 'USD' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(opened.map((gateway) => gateway.close()));
    await stack.close();
  });


  /** A gateway over the stack's subgraphs, with the route to `down` leading to a port nobody listens on. */
  async function gatewayWithout(down: SubgraphName | null): Promise<RunningGateway> {
    const subgraphUrls = { ...stack.subgraphUrls };
    if (down) subgraphUrls[down] = `http://127.0.0.1:${await freePort()}/graphql`;
    const gateway = await startGateway({
      config: testConfig(),
      logger: createLogger('silent'),
      supergraphSdl: readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
      subgraphUrls,
      port: 0,
      host: '127.0.0.1',
    });
    opened.push(gateway);
    return gateway;
  }

  async function dashboardWith(down: SubgraphName | null): Promise<GraphQLResponse> {
    const gateway = await gatewayWithout(down);
    return graphql(gateway.url, dashboard, { token: await tokenFor('u-owner'), variables: { eventId, from: today, to: today } });
  }

  const degradedPaths = (response: GraphQLResponse) =>
    (response.errors ?? []).map((error) => ({ code: error.extensions?.code, path: error.path }));

  it('answers everything when every subgraph is up', async () => {
    const response = await dashboardWith(null);
    expect(response.errors).toBeUndefined();
    expect(response.data.event.offers.map((offer: { title: string }) => offer.title)).toEqual(['Lounge pass']);
    expect(response.data.event.ads.map((ad: { name: string }) => ad.name)).toEqual(['Sponsor banner']);
    expect(response.data.event.monetizationAnalytics.revenue.total.amountCents).toBe(5000);
  });

  it('keeps offers and analytics when ads is down: ads is null with one SERVICE_DEGRADED at its path', async () => {
    const response = await dashboardWith('ads');
    expect(degradedPaths(response)).toEqual([{ code: 'SERVICE_DEGRADED', path: ['event', 'ads'] }]);
    expect(response.data.event.ads).toBeNull();
    expect(response.data.event.offers.map((offer: { title: string }) => offer.title)).toEqual(['Lounge pass']);
    expect(response.data.event.monetizationAnalytics.revenue.total.amountCents).toBe(5000);
    expect(response.data.event.monetizationAnalytics.offerPerformance[0].offer.title).toBe('Lounge pass');
  });

  it('keeps offers and ads when analytics is down: monetizationAnalytics is null with one SERVICE_DEGRADED at its path', async () => {
    const response = await dashboardWith('analytics');
    expect(degradedPaths(response)).toEqual([{ code: 'SERVICE_DEGRADED', path: ['event', 'monetizationAnalytics'] }]);
    expect(response.data.event.monetizationAnalytics).toBeNull();
    expect(response.data.event.offers).toHaveLength(1);
    expect(response.data.event.ads).toHaveLength(1);
  });

  it('is untouched when waitlist is down (the dashboard does not read it)', async () => {
    const response = await dashboardWith('waitlist');
    expect(response.errors).toBeUndefined();
    expect(response.data.event.offers).toHaveLength(1);
  });

  it('answers the event itself from offers: with offers down, event is null with one SERVICE_DEGRADED at its path', async () => {
    const response = await dashboardWith('offers');
    expect(degradedPaths(response)).toEqual([{ code: 'SERVICE_DEGRADED', path: ['event'] }]);
    expect(response.data.event).toBeNull();
  });

  it('fails alone inside lists too: offers down nulls only the offer of each analytics row', async () => {
    const gatewayResponse = await graphql(
      (await gatewayWithout('offers')).url,
      `query($eventId: ID!, $from: Date!, $to: Date!) { monetizationAnalytics(eventId: $eventId, from: $from, to: $to) { revenue { total { amountCents } } offerPerformance { offer { id title } purchases } } }`,
      { token: await tokenFor('u-owner'), variables: { eventId, from: today, to: today } },
    );
    expect(degradedPaths(gatewayResponse)).toEqual([{ code: 'SERVICE_DEGRADED', path: ['monetizationAnalytics', 'offerPerformance', 0, 'offer', 'title'] }]);
    expect(gatewayResponse.data.monetizationAnalytics.revenue.total.amountCents).toBe(5000);
    expect(gatewayResponse.data.monetizationAnalytics.offerPerformance).toEqual([{ offer: null, purchases: 1 }]);
  });

});
