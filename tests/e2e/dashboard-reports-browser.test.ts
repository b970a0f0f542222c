import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ensureDashboardBuilt } from '../../gateway/dashboard-build';
import { createLogger } from '../../kernel/logger';
import { launchChromium, type LaunchedBrowser, recordGraphQL } from '../support/browser';
import { countFor, failedDelivery } from '../support/report-schedules';
import { startStack, type TestStack } from '../support/stack';
import { asUser } from '../support/waitlist';

jest.setTimeout(180_000);

/**
 * Scheduled reports on the Exports page (issue 14, section 5) in real Chromium, through the gateway
 * on the real services: the form refuses what the analytics subgraph would, a weekly schedule is
 * listed with its next run, Send now and Retry add and rebuild deliveries.
 * `REPORTS_SCREENSHOTS=<dir>` also saves the page at 1280 and 390 px wide into that directory.
 */
const DASHBOARD_DIR = path.resolve(__dirname, '../../web/dist');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SCHEDULES = `query ($eventId: ID!) { reportSchedules(eventId: $eventId) { id weekday timeOfDay timeZone nextRunAt nextPeriod { from to } } }`;

let stack: TestStack;
let browser: LaunchedBrowser;
let origin: string;

beforeAll(async () => {
  await ensureDashboardBuilt(DASHBOARD_DIR, createLogger('silent'));
  // Kafka and the outbox relay: a delivery goes from Queued to Sent as it would in production.
  stack = await startStack({ kafka: true, workers: true, env: { DASHBOARD_DIR } });
  origin = new URL(stack.gatewayUrl).origin;
  await stack.runtime.orm.em.fork().execute(`delete from report_schedules where event_id = 'ev-private'`);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function openExports(width = 1280): Promise<Page> {
  const page = await browser.browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`${origin}/sign-in`);
  await page.getByRole('button', { name: /Olivia Owner/ }).click();
  await page.waitForURL(/\/events\/ev-private\/revenue$/);
  await page.getByRole('link', { name: 'Exports' }).click();
  await page.getByRole('region', { name: 'Scheduled reports' }).waitFor();
  await page.waitForSelector('text=Loading schedules…', { state: 'detached' });
  await page.waitForLoadState('networkidle');
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

/** The deliveries table's rows of a schedule, as text per cell. */
async function deliveryRows(schedule: Locator): Promise<string[][]> {
  return schedule.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').trim())));
}

describe('scheduled reports on the Exports page in Chromium', () => {
  it('shows an invalid recipient on its field and sends nothing', async () => {
    const page = await openExports();
    expect(await page.getByText('Coming soon').count()).toBe(0);
    await page.getByText('No scheduled reports').waitFor();
    const operations = recordGraphQL(page);
    await page.getByRole('button', { name: 'New schedule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New scheduled report' });
    await dialog.getByLabel('Recipients').fill('finance@acme');
    await dialog.getByText('“finance@acme” is not an email address', { exact: false }).waitFor();
    expect(await dialog.getByLabel('Recipients').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByRole('button', { name: 'Create schedule' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Time', { exact: true }).press('Enter');
    await page.waitForTimeout(300);
    expect(operations).toEqual([]);
    expect(await dialog.isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('creates a weekly schedule, lists it with its next run and period; Send now and Retry make deliveries', async () => {
    const page = await openExports();
    const operations = recordGraphQL(page);
    await page.getByRole('button', { name: 'New schedule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New scheduled report' });
    await dialog.getByLabel('Frequency').selectOption('WEEKLY');
    await dialog.getByLabel('Day of the week').selectOption('WEDNESDAY');
    await dialog.getByLabel('Time', { exact: true }).fill('09:30');
    await dialog.getByLabel('Time zone').selectOption('Europe/Paris');
    await dialog.getByLabel('Format').selectOption('CSV');
    await dialog.getByLabel('Recipients').fill('finance@acme.example\nceo@acme.example, Finance@acme.example');
    await dialog.getByText('2 so far.', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Create schedule' }).click();
    await dialog.waitFor({ state: 'detached' });

    const schedule = page.getByRole('article', { name: 'Weekly on Wednesday at 09:30' });
    await schedule.getByText('None yet.', { exact: false }).waitFor();
    expect(operations.filter((name) => name === 'DashboardCreateReportSchedule')).toHaveLength(1);
    // The created schedule joins the list from the mutation's answer: the list is not fetched again.
    expect(operations).not.toContain('DashboardReportSchedules');

    const listed = await asUser(stack, 'u-owner')(SCHEDULES, { eventId: 'ev-private' });
    expect(listed.data.reportSchedules).toHaveLength(1);
    const saved = listed.data.reportSchedules[0];
    expect(saved).toMatchObject({ weekday: 'WEDNESDAY', timeOfDay: '09:30', timeZone: 'Europe/Paris' });
    // Shown in the schedule's own zone: a Wednesday at 9:30 there, covering the seven days before.
    const [nextRun, period] = await page.evaluate(
      ([iso, from, to]) => [
        new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: 'Europe/Paris' }).format(new Date(iso)),
        new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).formatRange(new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`)),
      ],
      [saved.nextRunAt, saved.nextPeriod.from, saved.nextPeriod.to] as const,
    );
    expect(nextRun).toMatch(/^Wed.*9:30/);
    expect(await schedule.locator('dd').allInnerTexts()).toEqual([nextRun, period, 'Europe/Paris', 'CSV file', 'finance@acme.example\nceo@acme.example']);
    expect(await schedule.getByText('Active', { exact: true }).isVisible()).toBe(true);

    await schedule.getByRole('button', { name: 'Send now' }).click();
    await schedule.getByRole('cell', { name: /On request ·/ }).waitFor();
    expect(await countFor(stack.runtime.orm, saved.id)).toMatchObject({ deliveries: 1 });
    const [sent] = await deliveryRows(schedule);
    expect(sent![1]).toMatch(/^(Queued|Sent)$/);
    expect(sent![2]).toBe('1');
    expect(operations.filter((name) => name === 'DashboardSendReportNow')).toHaveLength(1);

    // A delivery that failed (its file over a tiny limit) shows why, and Retry builds it again.
    const failed = await failedDelivery(stack.runtime.orm, saved.id);
    expect(failed.status).toBe('FAILED');
    await page.reload();
    await schedule.getByText('Failed', { exact: true }).waitFor();
    const retry = schedule.getByRole('button', { name: /^Retry the report for / });
    expect(await retry.count()).toBe(1);
    expect(await schedule.getByText(failed.failureReason!).isVisible()).toBe(true);
    await retry.click();
    await schedule.getByText('Failed', { exact: true }).waitFor({ state: 'detached' });
    const rows = await deliveryRows(schedule);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => /^(Queued|Sent)$/.test(row[1]!))).toBe(true);
    expect(rows.map((row) => row[2]).sort()).toEqual(['1', '2']);
    await schedule.getByText('Sent', { exact: true }).first().waitFor();

    if (process.env.REPORTS_SCREENSHOTS) {
      for (const [label, width] of [['desktop', 1280], ['phone', 390]] as const) {
        const shot = await openExports(width);
        await shot.getByRole('article', { name: 'Weekly on Wednesday at 09:30' }).getByText('On request ·', { exact: false }).first().waitFor();
        await shot.screenshot({ path: path.join(process.env.REPORTS_SCREENSHOTS, `exports-${label}.png`), fullPage: true });
        await shot.getByRole('button', { name: 'New schedule' }).click();
        await shot.getByLabel('Recipients').fill('finance@acme.example\nbob@');
        await shot.getByLabel('Time', { exact: true }).click();
        await shot.screenshot({ path: path.join(process.env.REPORTS_SCREENSHOTS, `schedule-form-${label}.png`) });
        await shot.close();
      }
    }
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('pauses, resumes and deletes a schedule after confirmation', async () => {
    const page = await openExports();
    const schedule = page.getByRole('article', { name: 'Weekly on Wednesday at 09:30' });
    await schedule.getByRole('button', { name: 'Pause' }).click();
    await schedule.getByText('Paused', { exact: true }).waitFor();
    expect(await schedule.locator('dd').first().innerText()).toBe('None while paused');
    await schedule.getByRole('button', { name: 'Resume' }).click();
    await schedule.getByText('Active', { exact: true }).waitFor();
    expect(await schedule.locator('dd').first().innerText()).toMatch(/^Wed.*9:30/);

    await schedule.getByRole('button', { name: 'Delete' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete “Weekly on Wednesday at 09:30”?' });
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    expect(await schedule.isVisible()).toBe(true);
    await schedule.getByRole('button', { name: 'Delete' }).click();
    await confirm.getByRole('button', { name: 'Delete schedule' }).click();
    await page.getByText('No scheduled reports').waitFor();
    const listed = await asUser(stack, 'u-owner')(SCHEDULES, { eventId: 'ev-private' });
    expect(listed.data.reportSchedules).toEqual([]);
    await page.close();
  });
});
