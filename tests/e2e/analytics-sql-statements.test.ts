import { addCatalog } from '../support/catalog';
import { graphql } from '../support/graphql';
import { addAnalyticsEvent, contractOperation, ingest, monetizationEnvelope } from '../support/analytics';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';
import { FACT_TOTALS_SQL, factTotalsParams } from '../../subgraphs/analytics/facts-repository';
import { parseDateRange } from '../../subgraphs/analytics/range';

const MonetizationAnalytics = contractOperation('analytics.graphql', 'MonetizationAnalytics');
const EventMonetization = contractOperation('dashboard-event.graphql', 'EventMonetization');
const period = { from: '2026-01-01', to: '2026-12-31' };

describe('SQL behind one analytics request', () => {
  let stack: TestStack;
  let small: string;
  let large: string;

  /** An event with `count` offers and ads, each viewed, bought, shown and clicked. */
  const eventWith = async (count: number) => {
    const eventId = await addAnalyticsEvent(stack.runtime.orm);
    await addCatalog(stack.runtime.orm, eventId, count);
    const em = stack.runtime.orm.em.fork();
    const offers = await em.execute<{ id: string }[]>(`select id from offers where event_id = ?`, [eventId]);
    const ads = await em.execute<{ id: string }[]>(`select id from ads where event_id = ?`, [eventId]);
    const at = new Date('2026-05-05T05:05:05Z');
    await ingest(stack.runtime.orm, [
      ...offers.flatMap(({ id }) => [
        monetizationEnvelope('OfferViewed', { eventId, offerId: id }, at),
        monetizationEnvelope('PurchaseCompleted', { eventId, offerId: id, amountCents: 100, currency: 'USD' }, at),
      ]),
      ...ads.flatMap(({ id }) => [
        monetizationEnvelope('AdImpression', { eventId, adId: id }, at),
        monetizationEnvelope('AdClicked', { eventId, adId: id }, at),
      ]),
      monetizationEnvelope('WaitlistJoined', { eventId, sessionId: 's-keynote' }, at),
    ]);
    return eventId;
  };

  const statementsOf = async (operation: typeof MonetizationAnalytics, eventId: string, userId = 'u-staff') => {
    const counter = stack.countSql();
    const response = await graphql(stack.gatewayUrl, operation, { variables: { eventId, ...period }, token: await tokenFor(userId) });
    counter.stop();
    expect(response.errors).toBeUndefined();
    return { statements: counter.statements, data: response.data };
  };

  beforeAll(async () => {
    stack = await startStack({ subgraphWorkers: false });
    small = await eventWith(1);
    large = await eventWith(40);
  });
  afterAll(() => stack.close());

  it('sends the same few statements for MonetizationAnalytics with 1 and with 40 offers and ads', async () => {
    const one = await statementsOf(MonetizationAnalytics, small);
    const forty = await statementsOf(MonetizationAnalytics, large);
    expect(one.data.monetizationAnalytics.funnel.purchases).toBe(1);
    expect(forty.data.monetizationAnalytics.funnel.purchases).toBe(40);
    expect(forty.statements.length).toBe(one.statements.length);
    // The access check (event, registration, membership) and one grouped aggregate over the rollups.
    expect(one.statements.length).toBeLessThanOrEqual(4);
    expect(one.statements.filter((sql) => /from monetization_rollups/.test(sql))).toHaveLength(1);
  });

  it('sends the same statements for the whole EventMonetization dashboard query with 1 and with 40 offers and ads', async () => {
    const one = await statementsOf(EventMonetization, small);
    const forty = await statementsOf(EventMonetization, large);
    expect(one.data.event.monetizationAnalytics.offerPerformance).toHaveLength(1);
    expect(forty.data.event.monetizationAnalytics.offerPerformance).toHaveLength(40);
    expect(forty.data.event.monetizationAnalytics.adPerformance).toHaveLength(40);
    expect(forty.data.event.monetizationAnalytics.offerPerformance.every((row: { offer: { title: string } }) => row.offer.title)).toBe(true);
    expect(forty.statements.length).toBe(one.statements.length);
    expect(forty.statements.filter((sql) => /from monetization_rollups/.test(sql))).toHaveLength(1);
  });

  it('reads whole days from the rollups\' key and partial days on the facts\' (event_id, event_type, created_at) index', async () => {
    const plan = await stack.runtime.orm.em.fork().transactional(async (tx) => {
      // On a table this small PostgreSQL prefers a sequential scan; forbidding it shows whether the index can serve the query.
      await tx.execute('set local enable_seqscan = off');
      return tx.execute<{ 'QUERY PLAN': string }[]>(`explain ${FACT_TOTALS_SQL}`, factTotalsParams([large], parseDateRange('2026-01-01', '2026-12-31')));
    });
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index (Only )?Scan using monetization_rollups_key|Bitmap Index Scan on monetization_rollups_key/);
    expect(text).toMatch(/Index Cond: .*event_id = ANY.*day >= .*day < /);
    expect(text).toMatch(/Index (Only )?Scan using monetization_events_event_type_time_idx|Bitmap Index Scan on monetization_events_event_type_time_idx/);
  });
});
