import { toDecimalText } from '../../../kernel/money';
import { type ReportCell, type ReportColumn, type ReportTables } from './report-table';

/**
 * Text a spreadsheet would run as a formula: starting with `=`, `+`, `-` or `@` (also after leading
 * spaces, which some spreadsheets skip), or with a tab, carriage return or line feed.
 */
const FORMULA_START = /^(?:[ ]*[=+\-@]|[\t\r\n])/;

/** Neutralises formula injection in a text cell (OWASP "CSV Injection"): a leading apostrophe keeps it text. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** RFC 4180 quoting: a field with a comma, quote or line break is quoted, quotes doubled. */
export function quoteField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function cellText(value: ReportCell, column: ReportColumn, currency: string): string {
  if (value === null) return '';
  switch (column.kind) {
    case 'text':
      return quoteField(neutraliseFormula(String(value)));
    case 'money':
      return toDecimalText({ amountCents: Number(value), currency });
    case 'rate':
      return Number(value).toFixed(4);
    case 'count':
      return String(Math.trunc(Number(value)));
  }
}

/**
 * The report as one CSV file: each section is its name on a line, a header line and its rows,
 * sections separated by an empty line. UTF-8 with a byte order mark (so spreadsheets read titles
 * in any script) and CRLF line ends. Money is a plain decimal in the event's currency with its own
 * decimals (the Revenue section names it); rates are shares between 0 and 1.
 */
export function toCsv(tables: ReportTables): Buffer {
  const lines: string[] = [];
  for (const section of tables.sections) {
    if (lines.length > 0) lines.push('');
    lines.push(quoteField(section.name));
    lines.push(section.columns.map((column) => quoteField(neutraliseFormula(column.header))).join(','));
    for (const row of section.rows) {
      lines.push(row.map((value, index) => cellText(value, section.columns[index], tables.currency)).join(','));
    }
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
