import path from 'node:path';
import { launchChromium } from '../tests/support/browser';

/**
 * `npx tsx scripts/dashboard-screenshots.ts [origin]`: signs in as the demo owner on a running
 * `npm start` and saves every page at desktop (1280 px) and phone (390 px) width in docs/dashboard/.
 */
const origin = process.argv[2] ?? 'http://127.0.0.1:4000';
const OUT = path.resolve(__dirname, '..', 'docs', 'dashboard');
const PAGES = ['revenue', 'upsells', 'ads', 'waitlist', 'exports'];
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

async function main(): Promise<void> {
  const { browser, close } = await launchChromium();
  try {
    for (const [label, viewport] of Object.entries(WIDTHS)) {
      const page = await browser.newPage({ viewport });
      await page.goto(`${origin}/sign-in`);
      await page.screenshot({ path: path.join(OUT, `sign-in-${label}.png`), fullPage: true });
      await page.getByRole('button', { name: /Olivia Owner/ }).click();
      await page.waitForURL(/\/events\/ev-private\/revenue/);
      for (const name of PAGES) {
        await page.goto(`${origin}/events/ev-private/${name}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForSelector('text=Loading…', { state: 'detached' });
        await page.waitForTimeout(800);
        await page.screenshot({ path: path.join(OUT, `${name}-${label}.png`), fullPage: true });
      }
      if (process.argv.includes('--forms')) {
        await page.goto(`${origin}/events/ev-private/upsells`);
        await page.getByRole('button', { name: 'New offer' }).click();
        await page.getByLabel('Title').fill('VIP lounge');
        await page.getByLabel('Price', { exact: true }).fill('12.345');
        await page.getByLabel('Original price (optional)').fill('10');
        await page.getByLabel('Title').click();
        await page.screenshot({ path: path.join(OUT, `offer-form-${label}.png`) });
      }
      await page.close();
    }
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
