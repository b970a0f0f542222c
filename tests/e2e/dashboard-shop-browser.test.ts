import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../gateway/dashboard-build';
import { createLogger } from '../../kernel/logger';
import { launchChromium, type LaunchedBrowser, recordGraphQL } from '../support/browser';
import { insertOffer } from '../support/offers';
import { startStack, type TestStack } from '../support/stack';

jest.setTimeout(120_000);

/**
 * The attendee view of one event's offers (issue 14, section 6) in real Chromium, through the
 * gateway on the real services (payments by the development simulator, which settles at once).
 * `SHOP_SCREENSHOTS=<dir>` also saves the page at 1280 and 390 px wide into that directory.
 */
const DASHBOARD_DIR = path.resolve(__dirname, '../../web/dist');
const TITLE = 'Organic cotton hoodie';
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let stack: TestStack;
let browser: LaunchedBrowser;
let origin: string;

beforeAll(async () => {
  await ensureDashboardBuilt(DASHBOARD_DIR, createLogger('silent'));
  stack = await startStack({ env: { DASHBOARD_DIR } });
  origin = new URL(stack.gatewayUrl).origin;
  // The database outlives a run: start from no such offer, so the card and its stock are this run's.
  const em = stack.runtime.orm.em.fork();
  await em.execute(`delete from offer_purchases where offer_id in (select id from offers where title = ?)`, [TITLE]);
  await em.execute(`delete from offers where title = ?`, [TITLE]);
  await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: TITLE, type: 'PHYSICAL', priceCents: 3500, inventoryTotal: 5, description: 'Organic cotton, embroidered logo.' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const { violations } = await axe.run();
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
}

async function openShop(width: number): Promise<Page> {
  const page = await browser.browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`${origin}/events/ev-private/shop`);
  await page.waitForURL(/\/sign-in$/);
  await page.getByRole('button', { name: /Vera Vip/ }).click();
  await page.waitForURL(/\/events\/ev-private\/shop$/);
  await page.getByRole('heading', { name: TITLE }).waitFor();
  await page.waitForLoadState('networkidle');
  return page;
}

describe('the attendee view of an event’s offers in Chromium', () => {
  it('refuses 21 on the field without a request, buys 2, lists the purchase and the stock left', async () => {
    const page = await openShop(1280);
    const offer = page.getByRole('region', { name: TITLE });
    expect(await offer.getByText('$35.00').isVisible()).toBe(true);
    expect(await offer.getByText('5 left').isVisible()).toBe(true);
    const operations = recordGraphQL(page);
    const quantity = offer.getByLabel('Quantity');
    await quantity.fill('21');
    await offer.getByText('Only 5 left.').waitFor();
    expect(await quantity.getAttribute('aria-invalid')).toBe('true');
    expect(await offer.getByRole('button', { name: 'Buy' }).isDisabled()).toBe(true);
    await quantity.press('Enter');
    await page.waitForTimeout(300);
    expect(operations).toEqual([]);

    await quantity.fill('2');
    await offer.getByRole('button', { name: 'Buy' }).click();
    const purchases = page.getByRole('region', { name: 'My purchases' });
    const row = purchases.getByRole('row', { name: new RegExp(TITLE) });
    await row.waitFor();
    expect(await row.getByRole('cell').allInnerTexts()).toEqual([TITLE, '2', '$70.00', 'Paid', expect.any(String)]);
    await offer.getByText('3 left').waitFor();
    expect(operations).toEqual(['ShopPurchaseOffer', 'ShopOffers']);
    const [stored] = await stack.runtime.orm.em.fork().execute(`select quantity, status from offer_purchases where offer_id = (select id from offers where title = ?)`, [TITLE]);
    expect(stored).toMatchObject({ quantity: 2, status: 'COMPLETED' });

    expect(await seriousViolations(page)).toEqual([]);
    if (process.env.SHOP_SCREENSHOTS) {
      await page.screenshot({ path: path.join(process.env.SHOP_SCREENSHOTS, 'shop-desktop.png'), fullPage: true });
      const phone = await openShop(390);
      await phone.screenshot({ path: path.join(process.env.SHOP_SCREENSHOTS, 'shop-phone.png'), fullPage: true });
      await phone.close();
    }
    await page.close();
  });
});
