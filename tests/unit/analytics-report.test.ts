import ExcelJS from 'exceljs';
import { summarize, type MonetizationAnalyticsView } from '../../subgraphs/analytics/analytics-service';
import type { FactTotals } from '../../subgraphs/analytics/facts-repository';
import { parseDateRange } from '../../subgraphs/analytics/range';
import { neutraliseFormula, quoteField, toCsv } from '../../subgraphs/analytics/report/csv';
import { exportReport, REPORT_MAX_BYTES } from '../../subgraphs/analytics/report/export-service';
import { reportTables } from '../../subgraphs/analytics/report/report-table';
import { currencyFormat } from '../../subgraphs/analytics/report/xlsx';
import { parseCsv } from '../support/csv';

const range = parseDateRange('2026-01-01', '2026-01-31');
const event = { id: 'ev-1', name: 'Conf', currency: 'EUR' };

const row = (type: FactTotals['type'], extra: Partial<FactTotals> = {}): FactTotals => ({
  eventId: 'ev-1',
  type,
  offerId: null,
  adId: null,
  count: 1,
  units: 1,
  amountCents: 0,
  offerTitle: null,
  adName: null,
  labelledAt: null,
  ...extra,
});

/** A view with `offers` offers whose titles are `title`. */
function viewWith(offers: number, title = 'An offer'): MonetizationAnalyticsView {
  const rows = Array.from({ length: offers }, (_, index) =>
    row('PurchaseCompleted', {
      offerId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      amountCents: 1999,
      offerTitle: title,
      labelledAt: new Date(),
    }),
  );
  return summarize(event, range, rows);
}

describe('CSV cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['  =1', "'  =1"],
    ['Plain', 'Plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralises %j as %j', (input, output) => {
    expect(neutraliseFormula(input)).toBe(output);
  });

  it.each([
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['plain', 'plain'],
  ])('quotes %j as %j', (input, output) => {
    expect(quoteField(input)).toBe(output);
  });

  it('keeps its numbers as numbers, negative ones included, and round-trips text through a CSV parser', () => {
    const view = summarize(event, range, [
      row('PurchaseRefunded', { offerId: '00000000-0000-4000-8000-000000000001', amountCents: 250, offerTitle: '=cmd, "x"\nnext', labelledAt: new Date() }),
    ]);
    const rows = parseCsv(toCsv(reportTables(view)).toString('utf8').replace(/^\uFEFF/, ''));
    expect(rows).toContainEqual(['Total revenue (net of refunds)', '-2.50', 'EUR']);
    expect(rows).toContainEqual(['00000000-0000-4000-8000-000000000001', '\'=cmd, "x"\nnext', '0', '0', '0', '1', '-1', '-2.50', '0.0000']);
  });
});

describe('analytics numbers', () => {
  it('gives rates of 0 rather than NaN or Infinity without a denominator', () => {
    const view = summarize(event, range, [
      row('PurchaseCompleted', { offerId: '00000000-0000-4000-8000-000000000001', amountCents: 100 }),
      row('AdClicked', { adId: '00000000-0000-4000-8000-000000000002' }),
      row('WaitlistAccepted'),
    ]);
    expect(view.offerPerformance[0].conversionRate).toBe(0);
    expect(view.adPerformance[0].ctr).toBe(0);
    expect(view.waitlist.acceptanceRate).toBe(0);
    expect(view.funnel.viewToClickRate).toBe(0);
    expect(view.funnel.clickToPurchaseRate).toBe(0);
  });
});

describe('report files', () => {
  it('refuses a report larger than the bound with BAD_USER_INPUT', async () => {
    await expect(exportReport(viewWith(50), 'CSV', { maxBytes: 1000 })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'to' },
    });
    await expect(exportReport(viewWith(50), 'XLSX', { maxBytes: 1000 })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('stays under the 5 MB bound for an event with a thousand offers with long titles', async () => {
    const file = await exportReport(viewWith(1000, 'x'.repeat(300)), 'XLSX');
    expect(file.bytes.length).toBeLessThan(REPORT_MAX_BYTES);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.bytes as never);
    expect(workbook.getWorksheet('Offers')!.rowCount).toBe(1001);
    // Width is bounded whatever the title's length.
    expect(workbook.getWorksheet('Offers')!.getColumn(2).width).toBe(60);
  });

  it('formats money with the currency symbol', () => {
    expect(currencyFormat('USD')).toBe('"$"#,##0.00;-"$"#,##0.00');
    expect(currencyFormat('EUR')).toBe('"€"#,##0.00;-"€"#,##0.00');
    expect(currencyFormat('JPY')).toBe('"¥"#,##0;-"¥"#,##0');
    expect(currencyFormat('KWD')).toBe('"KWD"#,##0.000;-"KWD"#,##0.000');
  });
});
