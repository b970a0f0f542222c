import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity } from '../../kernel/auth/identity';
import { capKey, FREQUENCY_WINDOW_SECONDS } from '../../subgraphs/ads/serving/frequency-caps';
import { insertAd } from '../support/ads';
import { contractOperation } from '../support/contract-operations';
import { codesOf, graphql } from '../support/graphql';
import { redisCommandsDuring } from '../support/redis-monitor';
import { startStack, type TestStack } from '../support/stack';
import { TEST_SUBGRAPH_SECRET, tokenFor } from '../support/tokens';

const ADS_FOR_CONTEXT = contractOperation('ads.graphql', 'AdsForContext');
const HOUR = 3600_000;

interface Served {
  degraded: boolean;
  ads: { id: string; name: string; mediaUrl: string; clickUrl: string; aspectRatio: string | null }[];
}

describe('adsForContext through the gateway', () => {
  let stack: TestStack;
  const redisUrl = process.env.REDIS_URL!;

  /** `token` null: an anonymous caller. */
  const serve = async (token: string | null, variables: Record<string, unknown>) => {
    const response = await graphql<{ adsForContext: Served }>(stack.gatewayUrl, ADS_FOR_CONTEXT, {
      variables: { eventId: 'ev-private', placement: 'lobby-banner', ...variables },
      token: token ?? undefined,
    });
    return response;
  };
  const servedNames = async (token: string, variables: Record<string, unknown>) => {
    const response = await serve(token, variables);
    expect(response.errors).toBeUndefined();
    return response.data!.adsForContext.ads.map((ad) => ad.name).sort();
  };

  beforeAll(async () => {
    stack = await startStack({ subgraphs: ['ads'], subgraphWorkers: false });
    await stack.runtime.redis.flushdb();
  });
  afterAll(() => stack.close());

  describe('eligibility', () => {
    beforeAll(async () => {
      const orm = stack.runtime.orm;
      const now = Date.now();
      await insertAd(orm, 'ev-private', { name: 'live' });
      await insertAd(orm, 'ev-private', { name: 'live in window', startsAt: new Date(now - HOUR), endsAt: new Date(now + HOUR) });
      await insertAd(orm, 'ev-private', { name: 'inactive', isActive: false });
      await insertAd(orm, 'ev-private', { name: 'not started', startsAt: new Date(now + HOUR) });
      await insertAd(orm, 'ev-private', { name: 'ended', startsAt: new Date(now - 2 * HOUR), endsAt: new Date(now - HOUR) });
      await insertAd(orm, 'ev-private', { name: 'other placement', placements: ['sidebar'] });
      await insertAd(orm, 'ev-private', { name: 'for the keynote', targetSessions: ['s-keynote'] });
      await insertAd(orm, 'ev-private', { name: 'for the workshop', targetSessions: ['s-workshop'] });
      await insertAd(orm, 'ev-public', { name: 'another event' });
    });

    it('serves only active, in-schedule ads of the placement, untargeted or for the session', async () => {
      const vip = await tokenFor('u-vip');
      for (let i = 0; i < 5; i += 1) {
        expect(await servedNames(vip, { limit: 10, sessionId: 's-keynote' })).toEqual(['for the keynote', 'live', 'live in window']);
      }
      expect(await servedNames(vip, { limit: 10, sessionId: 's-workshop' })).toEqual(['for the workshop', 'live', 'live in window']);
      expect(await servedNames(vip, { limit: 10 })).toEqual(['live', 'live in window']);
    });

    it('sends SQL that filters active status, schedule, placement and session targeting', async () => {
      const vip = await tokenFor('u-vip');
      const counter = stack.countSql();
      await servedNames(vip, { limit: 10, sessionId: 's-keynote' });
      counter.stop();
      const selects = counter.statements.filter((sql) => /from "ads"/i.test(sql));
      expect(selects).toHaveLength(1);
      // The statement as sent, with its values in place.
      const sql = selects[0].replace(/"/g, '');
      expect(sql).toContain("where a.event_id = 'ev-private'");
      expect(sql).toContain('(a.is_active and (a.starts_at is null');
      expect(sql).toMatch(/\(a\.starts_at is null or a\.starts_at <= '[^']+'\)/);
      expect(sql).toMatch(/\(a\.ends_at is null or a\.ends_at > '[^']+'\)/);
      expect(sql).toContain("('lobby-banner' = any(a.placements))");
      expect(sql).toContain("(cardinality(a.target_sessions) = 0 or 's-keynote' = any(a.target_sessions))");
      expect(sql).toMatch(/limit \d+$/);
    });

    it('asks SQL for untargeted ads only when no session is given', async () => {
      const counter = stack.countSql();
      await servedNames(await tokenFor('u-vip'), { limit: 10 });
      counter.stop();
      const sql = counter.statements.find((statement) => /from "ads"/i.test(statement))!.replace(/"/g, '');
      expect(sql).toContain('cardinality(a.target_sessions) = 0');
      expect(sql).not.toContain('any(a.target_sessions)');
    });

    it('serves at most `limit` ads and refuses a limit outside 1..10, naming it', async () => {
      const vip = await tokenFor('u-vip');
      expect(await servedNames(vip, { limit: 1 })).toHaveLength(1);
      for (const limit of [0, -1, 11, 1000]) {
        const response = await serve(vip, { limit });
        expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
        expect(response.errors![0].extensions!.field).toBe('limit');
      }
    });

    it('refuses a session of another event and a placement that cannot exist, naming them', async () => {
      const vip = await tokenFor('u-vip');
      const stranger = await serve(vip, { sessionId: 's-open' });
      expect(codesOf(stranger)).toEqual(['BAD_USER_INPUT']);
      expect(stranger.errors![0].extensions!.field).toBe('sessionId');
      const placement = await serve(vip, { placement: 'x'.repeat(65) });
      expect(codesOf(placement)).toEqual(['BAD_USER_INPUT']);
      expect(placement.errors![0].extensions!.field).toBe('placement');
    });

    it('refuses callers who cannot access the event, without revealing it', async () => {
      for (const token of [null, await tokenFor('u-outsider')]) {
        const response = await serve(token, { limit: 5 });
        expect(response.data?.adsForContext ?? null).toBeNull();
        expect(codesOf(response)).toEqual(['NOT_FOUND']);
      }
    });
  });

  describe('frequency caps', () => {
    it('stops serving an ad capped at 2 from the third request of the same user on', async () => {
      const capped = await insertAd(stack.runtime.orm, 'ev-private', { name: 'capped', placements: ['cap-test'], frequencyCap: 2, weight: 1000 });
      await insertAd(stack.runtime.orm, 'ev-private', { name: 'uncapped', placements: ['cap-test'] });
      const vip = await tokenFor('u-vip');
      const names = async (token: string) => servedNames(token, { placement: 'cap-test', limit: 5 });

      expect(await names(vip)).toEqual(['capped', 'uncapped']);
      expect(await names(vip)).toEqual(['capped', 'uncapped']);
      expect(await names(vip)).toEqual(['uncapped']);
      expect(await names(vip)).toEqual(['uncapped']);
      // Caps are per user: another viewer still sees it.
      expect(await names(await tokenFor('u-guest'))).toEqual(['capped', 'uncapped']);

      // The counter expires on its own at the end of the 24-hour window.
      const ttl = await stack.runtime.redis.ttl(capKey('u-vip', capped.id));
      expect(ttl).toBeGreaterThan(FREQUENCY_WINDOW_SECONDS - 60);
      expect(ttl).toBeLessThanOrEqual(FREQUENCY_WINDOW_SECONDS);
    });

    it('checks and counts every candidate in one Redis round trip per request', async () => {
      for (let i = 0; i < 4; i += 1) {
        await insertAd(stack.runtime.orm, 'ev-private', { name: `round trip ${i}`, placements: ['round-trip'], frequencyCap: i === 0 ? null : 5 });
      }
      const vip = await tokenFor('u-vip');
      const { result, commands } = await redisCommandsDuring(redisUrl, () => serve(vip, { placement: 'round-trip', limit: 3 }));
      expect(result.errors).toBeUndefined();
      expect(result.data!.adsForContext.ads).toHaveLength(3);
      const roundTrips = commands.filter((command) => command.source !== 'lua');
      expect(roundTrips.map((command) => command.args[0].toLowerCase())).toEqual(['eval']);
      // Every candidate's counter travels in that one command (numkeys = 4) ...
      expect(roundTrips[0].args[2]).toBe('4');
      // ... and the script checked and counted, inside Redis, the three it picked (it stops once it has enough).
      const inside = commands.filter((command) => command.source === 'lua').map((command) => command.args[0].toLowerCase());
      expect(inside.filter((name) => name === 'get')).toHaveLength(3);
      expect(inside.filter((name) => name === 'incr')).toHaveLength(3);
    });
  });

  describe('anonymous viewers of a public event', () => {
    it('get at most one ad, never a capped one, and cost no Redis call', async () => {
      await insertAd(stack.runtime.orm, 'ev-public', { name: 'public capped', placements: ['public-slot'], frequencyCap: 3, weight: 1000 });
      await insertAd(stack.runtime.orm, 'ev-public', { name: 'public one', placements: ['public-slot'] });
      await insertAd(stack.runtime.orm, 'ev-public', { name: 'public two', placements: ['public-slot'] });
      const { result, commands } = await redisCommandsDuring(redisUrl, async () => {
        const responses = [];
        for (let i = 0; i < 10; i += 1) responses.push(await serve(null, { eventId: 'ev-public', placement: 'public-slot', limit: 5 }));
        return responses;
      });
      for (const response of result) {
        expect(response.errors).toBeUndefined();
        expect(response.data!.adsForContext.degraded).toBe(false);
        expect(response.data!.adsForContext.ads).toHaveLength(1);
        expect(response.data!.adsForContext.ads[0].name).not.toBe('public capped');
      }
      expect(commands).toEqual([]);
    });
  });

  describe('what a viewer may read of an ad', () => {
    it('lets a served attendee read the creative but not the configuration', async () => {
      await insertAd(stack.runtime.orm, 'ev-private', { name: 'creative', placements: ['fields'], aspectRatio: '4:3' });
      const vip = await tokenFor('u-vip');
      const creative = await serve(vip, { placement: 'fields' });
      expect(creative.errors).toBeUndefined();
      expect(creative.data!.adsForContext.ads).toEqual([
        { id: expect.any(String), name: 'creative', mediaUrl: 'https://cdn.example.com/ad.png', clickUrl: 'https://sponsor.example.com/', aspectRatio: '4:3' },
      ]);
      for (const field of ['weight', 'frequencyCap', 'placements', 'isActive', 'performance { impressions }']) {
        const response = await graphql(
          stack.gatewayUrl,
          `{ adsForContext(eventId: "ev-private", placement: "fields") { ads { id ${field} } } }`,
          { token: vip },
        );
        expect(codesOf(response)).toContain('FORBIDDEN');
        expect(JSON.stringify(response.data ?? {})).not.toContain('"weight":1');
      }
    });

    it('lets organizers read the configuration of what is served', async () => {
      const response = await graphql(
        stack.gatewayUrl,
        `{ adsForContext(eventId: "ev-private", placement: "fields") { ads { name weight frequencyCap placements isActive } } }`,
        { token: await tokenFor('u-staff') },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data.adsForContext.ads).toEqual([{ name: 'creative', weight: 1, frequencyCap: null, placements: ['fields'], isActive: true }]);
    });

    it('hides an ad that is not live from attendees who reach it by reference', async () => {
      const hidden = await insertAd(stack.runtime.orm, 'ev-private', { name: 'draft', isActive: false });
      const live = await insertAd(stack.runtime.orm, 'ev-private', { name: 'on air' });
      const entities = async (userId: string, id: string, fields: string) =>
        graphql(stack.subgraphUrls.ads!, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Ad { ${fields} } } }`, {
          variables: { r: [{ __typename: 'Ad', id }] },
          headers: { [GATEWAY_IDENTITY_HEADER]: await signGatewayIdentity({ userId }, TEST_SUBGRAPH_SECRET) },
        });
      expect((await entities('u-vip', live.id, 'name')).data._entities).toEqual([{ name: 'on air' }]);
      expect(codesOf(await entities('u-vip', live.id, 'name frequencyCap'))).toEqual(['FORBIDDEN']);
      const draft = await entities('u-vip', hidden.id, 'name');
      expect(codesOf(draft)).toEqual(['NOT_FOUND']);
      expect(JSON.stringify(draft.data)).not.toContain('draft');
      expect(codesOf(await entities('u-outsider', live.id, 'name'))).toEqual(['NOT_FOUND']);
      expect((await entities('u-owner', hidden.id, 'name isActive')).data._entities).toEqual([{ name: 'draft', isActive: false }]);
    });
  });
});
