import { badUserInput } from '../../../kernel/errors';
import type { MonetizationAnalyticsView } from '../analytics-service';
import { toCsv } from './csv';
import { reportTables } from './report-table';
import { toXlsx } from './xlsx';

export type ReportFormat = 'CSV' | 'XLSX';

/** Largest report file returned (before base64): a GraphQL response is no place for more. */
export const REPORT_MAX_BYTES = 5 * 1024 * 1024;

export interface ReportFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

const CONTENT_TYPES: Record<ReportFormat, string> = {
  CSV: 'text/csv; charset=utf-8',
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A file name safe in a Content-Disposition header and on any file system. */
export function reportFilename(view: MonetizationAnalyticsView, format: ReportFormat): string {
  const event = view.eventId.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 80);
  return `monetization-${event}-${view.range.from}-to-${view.range.to}.${format.toLowerCase()}`;
}

/** Writes the analytics as a CSV or XLSX file, refusing one larger than `maxBytes`. */
export async function exportReport(
  view: MonetizationAnalyticsView,
  format: ReportFormat,
  options: { maxBytes?: number } = {},
): Promise<ReportFile> {
  const tables = reportTables(view);
  const bytes = format === 'CSV' ? toCsv(tables) : await toXlsx(tables);
  const maxBytes = options.maxBytes ?? REPORT_MAX_BYTES;
  if (bytes.length > maxBytes) {
    throw badUserInput(
      'to',
      `The report would take ${bytes.length} bytes, more than the ${maxBytes} allowed; choose a shorter period.`,
    );
  }
  return { filename: reportFilename(view, format), contentType: CONTENT_TYPES[format], bytes };
}
