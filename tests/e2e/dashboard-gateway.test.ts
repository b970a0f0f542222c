import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jwtVerify } from 'jose';
import { createLogger } from '../../kernel/logger';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { readSupergraph } from '../../gateway/supergraph';
import { testConfig } from '../support/stack';
import { TEST_JWT_SECRET } from '../support/tokens';

/**
 * The gateway serves the built dashboard beside the API, and its development sign-in exists only
 * outside production. No subgraph is needed: nothing here is planned to one.
 */
let dashboardDir: string;

beforeAll(() => {
  dashboardDir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-'));
  mkdirSync(path.join(dashboardDir, 'assets'));
  writeFileSync(path.join(dashboardDir, 'index.html'), '<!doctype html><title>Organizer dashboard</title><div id="root"></div>');
  writeFileSync(path.join(dashboardDir, 'assets', 'index-abc123.js'), 'console.log("dashboard")');
});

afterAll(() => rmSync(dashboardDir, { recursive: true, force: true }));

async function gatewayWith(env: Record<string, string>): Promise<RunningGateway> {
  const config = testConfig({ env: { DASHBOARD_DIR: dashboardDir, ...env } });
  return startGateway({
    config,
    logger: createLogger('silent'),
    supergraphSdl: await readSupergraph(),
    // Unreachable on purpose: these tests never reach a subgraph.
    subgraphUrls: { offers: 'http://127.0.0.1:9/graphql', ads: 'http://127.0.0.1:9/graphql', waitlist: 'http://127.0.0.1:9/graphql', analytics: 'http://127.0.0.1:9/graphql' },
  });
}

const html = { accept: 'text/html,application/xhtml+xml' };

describe('the gateway in development', () => {
  let gateway: RunningGateway;
  let origin: string;
  beforeAll(async () => {
    gateway = await gatewayWith({ NODE_ENV: 'development' });
    origin = `http://127.0.0.1:${gateway.port}`;
  });
  afterAll(() => gateway.dispose());

  it('serves the dashboard at / and its index for any page path, so a reload of a deep link works', async () => {
    for (const page of ['/', '/events/ev-private/revenue', '/sign-in']) {
      const response = await fetch(origin + page, { headers: html });
      expect([page, response.status, response.headers.get('content-type')]).toEqual([page, 200, expect.stringContaining('text/html')]);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('Organizer dashboard');
    }
  });

  it('serves hashed assets with long caching and a 404 for a missing one', async () => {
    const asset = await fetch(`${origin}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${origin}/assets/missing.js`)).status).toBe(404);
  });

  it('keeps /graphql, /health and /webhooks their own', async () => {
    const graphql = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await graphql.json()).toEqual({ data: { __typename: 'Query' } });
    expect(await (await fetch(`${origin}/health/live`)).json()).toEqual({ status: 'ok' });
    const unknownWebhook = await fetch(`${origin}/webhooks/unknown`, { headers: html });
    expect(unknownWebhook.status).toBe(404);
    expect(await unknownWebhook.text()).not.toContain('Organizer dashboard');
  });

  it('lists the demo users with the events they organize and mints a token the gateway accepts', async () => {
    const listed = (await (await fetch(`${origin}/dev/sign-in`)).json()) as { users: { id: string; events: { id: string; role: string }[] }[] };
    expect(listed.users.map((user) => user.id)).toEqual(['u-owner', 'u-staff', 'u-vip', 'u-guest', 'u-outsider']);
    expect(listed.users.find((user) => user.id === 'u-owner')!.events).toEqual([{ id: 'ev-private', name: 'Acme Summit', role: 'owner' }]);
    expect(listed.users.find((user) => user.id === 'u-staff')!.events).toEqual([{ id: 'ev-private', name: 'Acme Summit', role: 'member' }]);
    expect(listed.users.find((user) => user.id === 'u-guest')!.events).toEqual([]);

    const minted = await fetch(`${origin}/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u-owner' }),
    });
    const { token } = (await minted.json()) as { token: string };
    const { payload } = await jwtVerify(token, new TextEncoder().encode(TEST_JWT_SECRET));
    expect(payload).toMatchObject({ sub: 'u-owner', email: 'owner@example.com', name: 'Olivia Owner' });

    const unknown = await fetch(`${origin}/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u-nobody' }),
    });
    expect(unknown.status).toBe(400);
  });
});

describe('the gateway in production', () => {
  let gateway: RunningGateway;
  let origin: string;
  beforeAll(async () => {
    gateway = await gatewayWith({ NODE_ENV: 'production' });
    origin = `http://127.0.0.1:${gateway.port}`;
  });
  afterAll(() => gateway.dispose());

  it('has no development sign-in: listing and minting are not found', async () => {
    const listed = await fetch(`${origin}/dev/sign-in`, { headers: { accept: 'application/json' } });
    expect(listed.status).toBe(404);
    const minted = await fetch(`${origin}/dev/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'u-owner' }),
    });
    expect(minted.status).toBe(404);
    // Not even the page: a browser asking for it gets a 404, not the dashboard.
    expect((await fetch(`${origin}/dev/sign-in`, { headers: html })).status).toBe(404);
  });

  it('still serves the dashboard, which then asks for the platform token', async () => {
    const page = await fetch(`${origin}/`, { headers: html });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Organizer dashboard');
  });
});
