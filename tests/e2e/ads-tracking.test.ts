import { MONETIZATION_TOPIC } from '../../kernel/contracts/monetization-events';
import { insertAd } from '../support/ads';
import { contractOperation, contractSelection } from '../support/contract-operations';
import { codesOf, graphql } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

const TRACK_IMPRESSION = contractOperation('ads.graphql', 'TrackAdImpression');
const TRACK_CLICK = contractOperation('ads.graphql', 'TrackAdClick');

/** The `ads` part of the dashboard's EventMonetization operation (the rest belongs to other subgraphs), plus `performance`. */
const EVENT_ADS = `query EventAds($eventId: ID!) {
  event(id: $eventId) { id ads { ${contractSelection('dashboard-event.graphql', 'EventMonetization', ['event', 'ads'])} performance { impressions clicks ctr } } }
}`;

describe('tracking ads and reading their performance through the gateway', () => {
  let stack: TestStack;
  const sql = <T = Record<string, any>>(statement: string, params: unknown[] = []) =>
    stack.runtime.orm.em.fork().execute<T[]>(statement, params);
  const outboxOf = (adId: string) =>
    sql(`select topic, message_key, payload, xmin::text as tx from outbox_messages where payload->'data'->>'adId' = ? order by created_at`, [adId]);
  const adEventsOf = (adId: string) =>
    sql(`select event_type, event_id, user_id, session_id, xmin::text as tx from ad_events where ad_id = ? order by created_at`, [adId]);

  beforeAll(async () => {
    stack = await startStack({ subgraphs: ['offers', 'ads'], subgraphWorkers: false });
  });
  afterAll(() => stack.close());

  it('records an impression and publishes AdImpression through the outbox in the same transaction', async () => {
    const ad = await insertAd(stack.runtime.orm, 'ev-private');
    const response = await graphql(stack.gatewayUrl, TRACK_IMPRESSION, {
      variables: { adId: ad.id, sessionId: 's-keynote' },
      token: await tokenFor('u-vip'),
    });
    expect(response.errors).toBeUndefined();
    expect(response.data.trackAdImpression).toBe(true);

    const [row] = await adEventsOf(ad.id);
    expect(row).toMatchObject({ event_type: 'IMPRESSION', event_id: 'ev-private', user_id: 'u-vip', session_id: 's-keynote' });
    const [message] = await outboxOf(ad.id);
    expect(message).toMatchObject({ topic: MONETIZATION_TOPIC, message_key: 'ev-private' });
    expect(message.payload).toMatchObject({
      id: expect.any(String),
      type: 'AdImpression',
      occurredAt: expect.any(String),
      data: { eventId: 'ev-private', adId: ad.id, userId: 'u-vip', sessionId: 's-keynote' },
    });
    // Written by one PostgreSQL transaction: both rows carry its id.
    expect(message.tx).toBe(row.tx);
  });

  it('records a click of an anonymous viewer of a public event and publishes AdClicked', async () => {
    const ad = await insertAd(stack.runtime.orm, 'ev-public');
    const response = await graphql(stack.gatewayUrl, TRACK_CLICK, { variables: { adId: ad.id } });
    expect(response.errors).toBeUndefined();
    expect(response.data.trackAdClick).toBe(true);
    const [row] = await adEventsOf(ad.id);
    expect(row).toMatchObject({ event_type: 'CLICK', event_id: 'ev-public', user_id: null, session_id: null });
    const [message] = await outboxOf(ad.id);
    expect(message.payload).toMatchObject({ type: 'AdClicked', data: { eventId: 'ev-public', adId: ad.id, userId: null } });
    expect(message.tx).toBe(row.tx);
  });

  it('refuses tracking by callers who cannot access the ad event, and of ads that do not exist, recording nothing', async () => {
    const ad = await insertAd(stack.runtime.orm, 'ev-private');
    const outsider = await tokenFor('u-outsider');
    for (const [operation, variables, token] of [
      [TRACK_IMPRESSION, { adId: ad.id }, outsider],
      [TRACK_CLICK, { adId: ad.id }, outsider],
      [TRACK_CLICK, { adId: ad.id }, undefined],
      [TRACK_CLICK, { adId: '00000000-0000-4000-8000-000000000000' }, outsider],
      [TRACK_CLICK, { adId: 'not-a-uuid' }, await tokenFor('u-owner')],
    ] as const) {
      const response = await graphql(stack.gatewayUrl, operation, { variables, token });
      expect(codesOf(response)).toEqual(['NOT_FOUND']);
    }
    expect(await adEventsOf(ad.id)).toEqual([]);
    expect(await outboxOf(ad.id)).toEqual([]);
  });

  it('refuses an impression in a session of another event, naming sessionId', async () => {
    const ad = await insertAd(stack.runtime.orm, 'ev-private');
    const response = await graphql(stack.gatewayUrl, TRACK_IMPRESSION, {
      variables: { adId: ad.id, sessionId: 's-open' },
      token: await tokenFor('u-vip'),
    });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions!.field).toBe('sessionId');
    expect(await adEventsOf(ad.id)).toEqual([]);
  });

  describe('Event.ads with performance', () => {
    it('shows organizers every ad with the dashboard fields and its impressions, clicks and CTR', async () => {
      await stack.reset();
      const ad = await insertAd(stack.runtime.orm, 'ev-private', { name: 'tracked', aspectRatio: '16:9', frequencyCap: 4 });
      const quiet = await insertAd(stack.runtime.orm, 'ev-private', { name: 'quiet', isActive: false });
      const vip = await tokenFor('u-vip');
      for (let i = 0; i < 4; i += 1) await graphql(stack.gatewayUrl, TRACK_IMPRESSION, { variables: { adId: ad.id }, token: vip });
      await graphql(stack.gatewayUrl, TRACK_CLICK, { variables: { adId: ad.id }, token: vip });

      const response = await graphql(stack.gatewayUrl, EVENT_ADS, { variables: { eventId: 'ev-private' }, token: await tokenFor('u-staff') });
      expect(response.errors).toBeUndefined();
      const byName = Object.fromEntries(response.data.event.ads.map((entry: { name: string }) => [entry.name, entry]));
      expect(byName.tracked).toEqual({
        id: ad.id,
        name: 'tracked',
        mediaUrl: 'https://cdn.example.com/ad.png',
        clickUrl: 'https://sponsor.example.com/',
        isActive: true,
        startsAt: null,
        endsAt: null,
        placements: ['lobby-banner'],
        targetSessions: [],
        frequencyCap: 4,
        aspectRatio: '16:9',
        performance: { impressions: 4, clicks: 1, ctr: 0.25 },
      });
      expect(byName.quiet).toMatchObject({ id: quiet.id, isActive: false, performance: { impressions: 0, clicks: 0, ctr: 0 } });
    });

    it('refuses the ads of an event to attendees', async () => {
      const response = await graphql(stack.gatewayUrl, EVENT_ADS, { variables: { eventId: 'ev-private' }, token: await tokenFor('u-guest') });
      expect(codesOf(response)).toContain('FORBIDDEN');
      expect(JSON.stringify(response.data ?? {})).not.toContain('tracked');
    });

    it('aggregates the performance of all ads in one statement, whatever their number', async () => {
      const statementsFor = async () => {
        const counter = stack.countSql();
        const response = await graphql(stack.gatewayUrl, EVENT_ADS, { variables: { eventId: 'ev-private' }, token: await tokenFor('u-owner') });
        counter.stop();
        expect(response.errors).toBeUndefined();
        return { ads: response.data.event.ads.length as number, statements: counter.statements };
      };
      const few = await statementsFor();
      for (let i = 0; i < 10; i += 1) await insertAd(stack.runtime.orm, 'ev-private', { name: `more ${i}` });
      const many = await statementsFor();
      expect(many.ads).toBe(few.ads + 10);
      expect(many.statements).toHaveLength(few.statements.length);
      const aggregates = many.statements.filter((statement) => /from ad_events/i.test(statement));
      expect(aggregates).toHaveLength(1);
      expect(aggregates[0]).toMatch(/group by ad_id, event_type/i);
    });
  });
});
