import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../gateway/dashboard-build';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { createLogger } from '../../kernel/logger';
import { launchChromium, type LaunchedBrowser, recordGraphQL } from '../support/browser';
import { insertOffer } from '../support/offers';
import { freePort } from '../support/ports';
import { startStack, testConfig, type TestStack } from '../support/stack';

jest.setTimeout(120_000);

/**
 * The dashboard in real Chromium (Debian's, driven by playwright-core), served by the gateway on the
 * real services: one test per journey of an organizer.
 */
const DASHBOARD_DIR = path.resolve(__dirname, '../../web/dist');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let stack: TestStack;
let browser: LaunchedBrowser;
let origin: string;

beforeAll(async () => {
  await ensureDashboardBuilt(DASHBOARD_DIR, createLogger('silent'));
  stack = await startStack({ env: { DASHBOARD_DIR } });
  origin = new URL(stack.gatewayUrl).origin;
  await insertOffer(stack.runtime.orm, { eventId: 'ev-private', title: 'Summit hoodie', type: 'PHYSICAL', priceCents: 3500, inventoryTotal: 100 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function signInAsOwner(at: string): Promise<Page> {
  const page = await browser.browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await page.goto(`${at}/sign-in`);
  await page.getByRole('button', { name: /Olivia Owner/ }).click();
  await page.waitForURL(/\/events\/ev-private\/revenue$/);
  return page;
}

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

describe('the organizer dashboard in Chromium', () => {
  it('signs an organizer in and shows the revenue page from one EventMonetization request', async () => {
    const page = await browser.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const operations = recordGraphQL(page);
    await page.goto(`${origin}/`);
    await page.waitForURL(/\/sign-in$/);
    await page.getByRole('button', { name: /Olivia Owner/ }).click();
    await page.getByRole('heading', { name: 'Revenue insights' }).waitFor();
    await page.getByText('Total revenue').waitFor();
    expect(await page.getByText('Acme Summit').isVisible()).toBe(true);
    expect(await page.getByText('Failed to load chart').count()).toBe(0);
    await page.waitForLoadState('networkidle');
    expect(operations).toEqual(['EventMonetization']);
    await page.close();
  });

  it('shows an invalid price on its field and sends nothing', async () => {
    const page = await signInAsOwner(origin);
    await page.getByRole('link', { name: 'Upsells' }).click();
    await page.getByText('Summit hoodie', { exact: true }).waitFor();
    const operations = recordGraphQL(page);
    await page.getByRole('button', { name: 'New offer' }).click();
    await page.getByLabel('Title').fill('VIP lounge');
    await page.getByLabel('Price', { exact: true }).fill('12.345');
    await page.getByText('Enter an amount like 12.50: digits, at most two decimals.').waitFor();
    expect(await page.getByLabel('Price', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    const submit = page.getByRole('button', { name: 'Create offer' });
    expect(await submit.isDisabled()).toBe(true);
    await page.getByLabel('Price', { exact: true }).press('Enter');
    await page.waitForTimeout(300);
    expect(operations).toEqual([]);
    expect(await page.getByRole('dialog').isVisible()).toBe(true);
    await page.close();
  });

  it('creates and edits an offer and an ad in their dialogs: one mutation each, the list updated without a refetch', async () => {
    const page = await signInAsOwner(origin);
    await page.getByRole('link', { name: 'Upsells' }).click();
    await page.getByText('Summit hoodie', { exact: true }).waitFor();
    const operations = recordGraphQL(page);
    await page.getByRole('button', { name: 'New offer' }).click();
    await page.getByLabel('Title').fill('Backstage tour');
    await page.getByLabel('Price', { exact: true }).fill('45.00');
    await page.getByLabel('Units for sale').fill('12');
    await page.getByRole('button', { name: 'Create offer' }).click();
    await page.getByText('Offer “Backstage tour” created', { exact: true }).waitFor();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByText('Backstage tour', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Edit Backstage tour' }).click();
    await page.getByLabel('Title').fill('Backstage tour at noon');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Offer “Backstage tour at noon” saved', { exact: true }).waitFor();
    await page.getByText('Backstage tour at noon', { exact: true }).waitFor();
    expect(operations).toEqual(['DashboardCreateOffer', 'DashboardUpdateOffer']);

    await page.getByRole('link', { name: 'Ads' }).click();
    await page.getByRole('heading', { name: 'Ads' }).waitFor();
    await page.getByRole('button', { name: 'New ad' }).click();
    await page.getByLabel('Name').fill('Sponsor banner');
    await page.getByLabel('Creative URL').fill('https://cdn.example.com/banner.png');
    await page.getByLabel('Click URL').fill('https://sponsor.example.com/');
    await page.getByLabel('Placements').fill('lobby-banner');
    await page.getByRole('button', { name: 'Create ad' }).click();
    await page.getByText('Ad “Sponsor banner” created', { exact: true }).waitFor();
    await page.getByText('Sponsor banner', { exact: true }).waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
    const saved = await stack.runtime.orm.em.fork().execute<{ title: string }[]>(
      `select title from offers where event_id = 'ev-private' and title like 'Backstage%'`,
    );
    expect(saved).toEqual([{ title: 'Backstage tour at noon' }]);
    await page.close();
  });

  it('downloads the XLSX report, which exceljs opens with one sheet per section', async () => {
    const page = await signInAsOwner(origin);
    await page.getByRole('link', { name: 'Exports' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download XLSX' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^monetization-ev-private-.*\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Revenue', 'Offers', 'Ads', 'Waitlist', 'Funnel']);
    expect(await page.getByRole('region', { name: 'Scheduled reports' }).isVisible()).toBe(true);
    await page.close();
  });

  it('has no serious accessibility violations on any page (axe-core)', async () => {
    const page = await signInAsOwner(origin);
    const found: Record<string, string[]> = {};
    for (const tab of ['revenue', 'upsells', 'ads', 'waitlist', 'exports']) {
      await page.goto(`${origin}/events/ev-private/${tab}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      found[tab] = await seriousViolations(page);
    }
    await page.goto(`${origin}/events/ev-private/upsells`);
    await page.getByRole('button', { name: 'New offer' }).click();
    await page.getByRole('dialog').waitFor();
    found['offer form'] = await seriousViolations(page);
    expect(found).toEqual({ revenue: [], upsells: [], ads: [], waitlist: [], exports: [], 'offer form': [] });
    await page.close();
  });

  describe('with the ads subgraph down', () => {
    let degraded: RunningGateway;
    beforeAll(async () => {
      degraded = await startGateway({
        config: testConfig({ env: { DASHBOARD_DIR } }),
        logger: createLogger('silent'),
        supergraphSdl: readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8'),
        // Nothing listens there: every fetch to the ads subgraph fails as it would with the process killed.
        subgraphUrls: { ...stack.subgraphUrls, ads: `http://127.0.0.1:${await freePort()}/graphql` },
        port: 0,
        host: '127.0.0.1',
      });
    });
    afterAll(() => degraded.dispose());

    it('keeps the revenue and offer charts and shows the ads chart’s fallback with Retry', async () => {
      const page = await signInAsOwner(new URL(degraded.url).origin);
      const adsCard = page.getByRole('region', { name: 'Ad campaign performance' });
      await adsCard.getByText('Failed to load chart').waitFor();
      expect(await adsCard.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
      expect(await page.getByText('Failed to load chart').count()).toBe(1);
      expect(await page.getByRole('region', { name: 'Revenue overview' }).getByText('Total revenue').isVisible()).toBe(true);
      expect(await page.getByRole('region', { name: 'Offer performance' }).isVisible()).toBe(true);
      // The other pages do not depend on ads and keep working.
      await page.getByRole('link', { name: 'Upsells' }).click();
      await page.getByText('Summit hoodie', { exact: true }).waitFor();
      await page.close();
    });
  });
});
