import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { SignJWT } from 'jose';
import pino from 'pino';
import { startGateway } from '../../gateway/server';
import { parseFact } from '../../subgraphs/analytics/ingestion/fact';
import { insertOffer } from '../support/offers';
import { codesOf, graphql } from '../support/graphql';
import { startStack, type TestStack } from '../support/stack';
import { TEST_JWT_SECRET, tokenFor } from '../support/tokens';

const signed = (claims: { iat: number; exp: number }) =>
  new SignJWT({ email: 'vip@example.com' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u-vip')
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));

describe('leaks and loose ends', () => {
  let stack: TestStack;
  const sql = <T>(text: string, params: unknown[] = []) => stack.runtime.orm.em.fork().execute<T[]>(text, params);

  beforeAll(async () => {
    stack = await startStack({ env: { RATE_LIMIT_EXPORTS_PER_MINUTE: '2' } });
  });
  afterAll(() => stack.close());

  it('refuses tokens with an absurd lifetime or issued in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    const query = '{ myPurchases { id } }';
    const decades = await graphql(stack.gatewayUrl, query, { token: await signed({ iat: now, exp: now + 30 * 365 * 86_400 }) });
    expect(decades.status).toBe(401);
    expect(codesOf(decades)).toEqual(['UNAUTHENTICATED']);
    const future = await graphql(stack.gatewayUrl, query, { token: await signed({ iat: now + 3600, exp: now + 7200 }) });
    expect(codesOf(future)).toEqual(['UNAUTHENTICATED']);
    const ordinary = await graphql(stack.gatewayUrl, query, { token: await signed({ iat: now, exp: now + 3600 }) });
    expect(ordinary.errors).toBeUndefined();
  });

  it('rate-limits exports per user', async () => {
    // Budgets live in Redis across suites (the role matrix exports as u-staff too).
    await stack.runtime.redis.del('ratelimit:export:u-staff');
    const token = await tokenFor('u-staff');
    const exportCsv = () =>
      graphql(stack.gatewayUrl, 'mutation { exportMonetizationReport(eventId: "ev-private", from: "2026-11-01", to: "2026-11-02", format: CSV) { filename } }', { token });
    expect((await exportCsv()).errors).toBeUndefined();
    expect((await exportCsv()).errors).toBeUndefined();
    expect(codesOf(await exportCsv())).toEqual(['RATE_LIMITED']);
  });

  it('refuses setWaitlistTier for a user the platform does not know, and writes nothing', async () => {
    const answer = await graphql(stack.gatewayUrl, 'mutation { setWaitlistTier(sessionId: "s-keynote", userId: "u-nobody", tier: VIP) { __typename } }', {
      token: await tokenFor('u-owner'),
    });
    expect(codesOf(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0].extensions?.field).toBe('userId');
    expect(await sql(`select * from waitlist_tier_overrides where user_id = 'u-nobody'`)).toEqual([]);
  });

  it('keeps analytics facts whose ids are longer than 200 characters', () => {
    const long = `ev-${'x'.repeat(400)}`;
    const parsed = parseFact({
      id: `msg-${'y'.repeat(300)}`,
      type: 'AdClicked',
      occurredAt: new Date().toISOString(),
      data: { eventId: long, userId: `u-${'z'.repeat(300)}`, sessionId: `s-${'w'.repeat(300)}` },
    });
    expect(parsed.ok).toBe(true);
  });

  it('answers an attendee NOT_FOUND, as for a wrong id, for a draft offer and for someone else\'s waitlist entry', async () => {
    const guest = await tokenFor('u-guest');
    const draft = await insertOffer(stack.runtime.orm, { eventId: 'ev-private', isActive: false });
    const update = (id: string) => graphql(stack.gatewayUrl, 'mutation($id: ID!) { updateOffer(id: $id, input: { title: "Mine" }) { id } }', { variables: { id }, token: guest });
    const [onDraft, onNothing] = [await update(draft.id), await update('00000000-0000-4000-8000-000000000000')];
    expect(codesOf(onDraft)).toEqual(['NOT_FOUND']);
    expect(onDraft.errors?.[0].message).toBe(onNothing.errors?.[0].message);
    const buy = await graphql(stack.gatewayUrl, 'mutation($id: ID!) { purchaseOffer(offerId: $id, quantity: 1) { purchase { id } } }', { variables: { id: draft.id }, token: guest });
    expect(codesOf(buy)).toEqual(['NOT_FOUND']);

    const joined = await graphql(stack.gatewayUrl, 'mutation { joinWaitlist(sessionId: "s-workshop") { id } }', { token: await tokenFor('u-vip') });
    const entryId = joined.data?.joinWaitlist?.id ?? (await sql<{ id: string }>(`select id from waitlist_entries where user_id = 'u-vip' limit 1`))[0]?.id;
    expect(entryId).toBeDefined();
    const remove = await graphql(stack.gatewayUrl, 'mutation($id: ID!) { removeFromWaitlist(entryId: $id) }', { variables: { id: entryId }, token: guest });
    expect(codesOf(remove)).toEqual(['NOT_FOUND']);
  });

  it('warns loudly, outside production, that the development subgraph secret is public', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
    const config = { ...stack.runtime.config, auth: { ...stack.runtime.config.auth, subgraphSecretIsDevelopment: true } };
    const supergraphSdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
    const gateway = await startGateway({ config, logger, supergraphSdl, subgraphUrls: stack.subgraphUrls, port: 0, host: '127.0.0.1' });
    await gateway.dispose();
    const warning = lines.map((line) => JSON.parse(line)).find((entry) => /SUBGRAPH_SECRET/.test(entry.msg));
    expect(warning).toMatchObject({ level: 40 });
    expect(warning.msg).toMatch(/public/);
  });

  it("reports nothing about its host to Apollo's servers unless APOLLO_TELEMETRY_DISABLED=false", async () => {
    // @apollo/gateway's reporter exports on shutdown; caught here, before it reaches the network.
    const exported = jest.spyOn(OTLPMetricExporter.prototype, 'export').mockImplementation((_metrics, done) => done({ code: 0 }));
    const supergraphSdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
    const startAndStop = async (apolloTelemetry: boolean) => {
      const config = { ...stack.runtime.config, gateway: { ...stack.runtime.config.gateway, apolloTelemetry } };
      const gateway = await startGateway({ config, logger: pino({ level: 'silent' }), supergraphSdl, subgraphUrls: stack.subgraphUrls, port: 0, host: '127.0.0.1' });
      await gateway.dispose();
    };
    try {
      expect(stack.runtime.config.gateway.apolloTelemetry).toBe(false);
      await startAndStop(false);
      expect(exported).not.toHaveBeenCalled();
      await startAndStop(true);
      expect(exported).toHaveBeenCalled();
    } finally {
      exported.mockRestore();
    }
  });
});
