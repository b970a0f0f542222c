import type { Page } from 'playwright-core';
import { LiveChannels, type MonetizationActivity } from '../../kernel/contracts/live-channels';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { eventually } from '../support/timing';
import { livePublisher, liveStats } from '../support/live';
import { startStack, type TestStack } from '../support/stack';

jest.setTimeout(120_000);

/**
 * A developer's first hour: the gateway in development serves GraphiQL from npm on GET /graphql, the
 * demo organizer's token already in the header editor, the clients' operations as tabs.
 */
describe('GraphiQL in development, in a real browser', () => {
  let stack: TestStack;
  let browser: TestBrowser;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    // No AUTH_JWT_SECRET: tokens use the public development secret, as `npm start` does.
    stack = await startStack({ env: { NODE_ENV: 'development', AUTH_JWT_SECRET: '', SUBSCRIPTION_WINDOW_MS: '100' } });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(stack.gatewayUrl);
    await page.locator('.graphiql-container').waitFor({ timeout: 60_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const openTab = async (operationName: string) => {
    await page.locator('.graphiql-tab-button', { hasText: new RegExp(`^${operationName}$`) }).click();
    await page.locator('.graphiql-query-editor', { hasText: operationName }).waitFor();
  };
  const run = () => page.locator('.graphiql-execute-button').click();
  /**
   * Runs the open tab until the result pane matches: right after a tab switch GraphiQL 4 may send the
   * previous tab's text under the new operation name (the gateway then answers an error), so a
   * result with errors is run again, as a developer would.
   */
  const runUntil = (expected: RegExp, what: string) =>
    eventually(
      async () => {
        const text = await result();
        if (expected.test(text)) return true;
        if (/"errors"/.test(text)) await run();
        return false;
      },
      30_000,
      what,
    );
  const result = () => page.locator('.result-window').innerText();

  it('loads everything from the gateway itself, no CDN', () => {
    const hosts = new Set(requested.map((url) => new URL(url).host));
    expect([...hosts]).toEqual([new URL(stack.gatewayUrl).host]);
  });

  it("prefills the demo organizer's token and lists the clients' operations as tabs", async () => {
    const tabs = await page.locator('.graphiql-tab-button').allInnerTexts();
    expect(tabs).toEqual(expect.arrayContaining(['EventMonetization', 'OfferDetail', 'MonetizationActivity', 'PurchaseOffer']));
    await page.getByRole('button', { name: /headers/i }).first().click();
    await expect(page.locator('.graphiql-editor-tool').innerText()).resolves.toMatch(/authorization[\s\S]*Bearer ey/);
  });

  it('runs EventMonetization over HTTP with that token and shows the private event', async () => {
    await openTab('EventMonetization');
    await run();
    await runUntil(/"id": "ev-private"/, 'the event in the result pane');
    const text = await result();
    expect(text).toMatch(/"offers"/);
    expect(text).not.toMatch(/"errors"/);
  });

  it('runs a subscription over graphql-ws and shows the events as they arrive', async () => {
    await openTab('MonetizationActivity');
    await run();
    await eventually(
      async () => {
        if (((await liveStats(stack.runtime)).feeds.monetizationActivity?.listeners ?? 0) === 1) return true;
        if (/"errors"/.test(await result())) await run();
        return false;
      },
      30_000,
      'GraphiQL subscribed to monetizationActivity',
    );
    const activity: MonetizationActivity = { eventId: 'ev-private', kind: 'AdClicked', at: '2026-12-01T10:00:00.000Z', adId: '00000000-0000-4000-8000-000000000001' };
    await livePublisher(stack.runtime).publish(LiveChannels.monetizationActivity('ev-private'), activity);
    await eventually(async () => /"kind": "AdClicked"/.test(await result()), 30_000, 'the activity in the result pane');
    expect(await result()).toMatch(/"at": "2026-12-01T10:00:00.000Z"/);
  });
});
