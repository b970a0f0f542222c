import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../tests/support/browser';

/**
 * `npx tsx scripts/dashboard-measure.ts [origin]`: for each page of the demo event, opened cold in a
 * fresh browser context after signing in as the demo owner, the requests the page load makes and
 * the gzip size of the JavaScript it loads (files of web/dist, gzip level 9).
 */
const origin = process.argv[2] ?? 'http://127.0.0.1:4000';
const DIST = path.resolve(__dirname, '..', 'web', 'dist');
const PAGES = ['revenue', 'upsells', 'ads', 'waitlist', 'exports'];
/** The page's sessionStorage, typed without the DOM library (this file is type-checked for Node). */
type PageGlobals = { sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void } };

async function main(): Promise<void> {
  const { browser, close } = await launchChromium();
  try {
    const signIn = await browser.newPage();
    await signIn.goto(`${origin}/sign-in`);
    await signIn.getByRole('button', { name: /Olivia Owner/ }).click();
    await signIn.waitForURL(/\/revenue$/);
    const session = await signIn.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.getItem('dashboard.session'));
    await signIn.close();
    console.log('| page | requests | of which GraphQL over HTTP | JS files | JS gzip (KB) |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const name of PAGES) {
      const context = await browser.newContext();
      await context.addInitScript((value) => (globalThis as unknown as PageGlobals).sessionStorage.setItem('dashboard.session', value!), session);
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`${origin}/events/ev-private/${name}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      const scripts = requests.filter((url) => url.endsWith('.js'));
      const gzip = scripts.reduce((total, url) => total + gzipSync(readFileSync(path.join(DIST, new URL(url).pathname)), { level: 9 }).length, 0);
      const graphql = requests.filter((url) => new URL(url).pathname === '/graphql').length;
      console.log(`| ${name} | ${requests.length} | ${graphql} | ${scripts.length} | ${(gzip / 1024).toFixed(1)} |`);
      await context.close();
    }
    await measureLiveLatency(browser, session);
  } finally {
    await close();
  }
}

/** POST one GraphQL operation to the gateway; throws on GraphQL errors. */
async function graphql<T>(token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
  return body.data;
}

/**
 * Time from a purchase made through the API (as the demo VIP attendee) to the upsells page showing
 * the new units sold: the offers subgraph's live channel, its coalescing window
 * (SUBSCRIPTION_WINDOW_MS) and the gateway's graphql-ws fan-out, no refetch.
 */
async function measureLiveLatency(browser: Browser, session: string | null, purchases = 5): Promise<void> {
  const signIn = await fetch(`${origin}/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'u-vip' }) });
  const { token } = (await signIn.json()) as { token: string };
  const { event } = await graphql<{ event: { offers: { id: string; title: string }[] } }>(token, 'query { event(id: "ev-private") { offers { id title } } }');
  const offer = event.offers.find((candidate) => candidate.title === 'Summit hoodie');
  if (!offer) throw new Error('the demo offer "Summit hoodie" is missing');
  const context = await browser.newContext();
  await context.addInitScript((value) => (globalThis as unknown as PageGlobals).sessionStorage.setItem('dashboard.session', value!), session);
  const page = await context.newPage();
  await page.goto(`${origin}/events/ev-private/upsells`);
  const sold = page.getByRole('row', { name: /Summit hoodie/ }).locator('td[data-label="Sold"]');
  await sold.waitFor();
  await page.getByText('Live', { exact: true }).first().waitFor().catch(() => undefined);
  const latencies: number[] = [];
  for (let i = 0; i < purchases; i++) {
    const before = await sold.innerText();
    const started = performance.now();
    await graphql(token, 'mutation ($offerId: ID!) { purchaseOffer(offerId: $offerId, quantity: 1) { purchase { id } } }', { offerId: offer.id });
    const deadline = started + 15_000;
    while ((await sold.innerText()) === before) {
      if (performance.now() > deadline) throw new Error('the upsells page did not show the purchase within 15 s');
      await page.waitForTimeout(20);
    }
    latencies.push(performance.now() - started);
    await page.waitForTimeout(1_500);
  }
  latencies.sort((a, b) => a - b);
  const ms = (value: number) => `${Math.round(value)} ms`;
  console.log(`\npurchase → upsells page shows it: median ${ms(latencies[Math.floor(latencies.length / 2)])}, min ${ms(latencies[0])}, max ${ms(latencies[latencies.length - 1])} over ${purchases} purchases`);
  await context.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
