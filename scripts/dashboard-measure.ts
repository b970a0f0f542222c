import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
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
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
