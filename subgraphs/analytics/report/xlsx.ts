import type ExcelJS from 'exceljs';
import { minorUnitDigits, toDecimalText } from '../../../kernel/money';
import { centsToAmount, type ColumnKind, type ReportCell, type ReportSection, type ReportTables } from './report-table';

const MIN_WIDTH = 10;
const MAX_WIDTH = 60;

/** An Excel number format showing the currency's symbol and its decimals, e.g. `"€"#,##0.00`, `"¥"#,##0`. */
export function currencyFormat(currency: string): string {
  const symbol =
    new Intl.NumberFormat('en-US', { style: 'currency', currency }).formatToParts(0).find((part) => part.type === 'currency')
      ?.value ?? currency;
  const quoted = `"${symbol.replace(/"/g, '')}"`;
  const digits = minorUnitDigits(currency);
  const number = digits > 0 ? `#,##0.${'0'.repeat(digits)}` : '#,##0';
  return `${quoted}${number};-${quoted}${number}`;
}

const NUMBER_FORMATS: Record<Exclude<ColumnKind, 'money'>, string | undefined> = {
  text: '@',
  count: '#,##0',
  rate: '0.00%',
};

function cellValue(value: ReportCell, kind: ColumnKind, currency: string): ExcelJS.CellValue {
  if (value === null) return null;
  if (kind === 'text') return String(value);
  return kind === 'money' ? centsToAmount(Number(value), currency) : Number(value);
}

/** What a cell shows, roughly, to size its column. */
function shownLength(value: ReportCell, kind: ColumnKind, currency: string): number {
  if (value === null) return 0;
  if (kind === 'money') return toDecimalText({ amountCents: Number(value), currency }).length + 4;
  if (kind === 'rate') return (Number(value) * 100).toFixed(2).length + 1;
  if (kind === 'count') return Math.trunc(Number(value)).toLocaleString('en-US').length;
  return String(value).length;
}

function addSheet(workbook: ExcelJS.Workbook, section: ReportSection, currency: string): void {
  const sheet = workbook.addWorksheet(section.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = section.columns.map((column, index) => {
    const longest = Math.max(column.header.length, ...section.rows.map((row) => shownLength(row[index], column.kind, currency)));
    return {
      header: column.header,
      key: `c${index}`,
      width: Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2)),
      style: { numFmt: column.kind === 'money' ? currencyFormat(currency) : NUMBER_FORMATS[column.kind] },
    };
  });
  for (const row of section.rows) {
    sheet.addRow(row.map((value, index) => cellValue(value, section.columns[index].kind, currency)));
  }
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.numFmt = '@';
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: section.columns.length } };
}

/**
 * The report as an XLSX workbook: one sheet per section with a bold, frozen header row; money as
 * numbers in the event's currency format, rates as percentages, column widths from their content.
 * Text is written as text, never as a formula, whatever it starts with.
 */
export async function toXlsx(tables: ReportTables, now: Date = new Date()): Promise<Buffer> {
  // Loaded by the first XLSX export, not at start: ExcelJS is some 670 modules and 7 MB of heap in
  // every analytics process, most of which never writes a workbook.
  const { Workbook } = require('exceljs') as typeof ExcelJS;
  const workbook = new Workbook();
  workbook.creator = 'Monetization analytics';
  workbook.title = tables.title;
  workbook.created = now;
  for (const section of tables.sections) addSheet(workbook, section, tables.currency);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
