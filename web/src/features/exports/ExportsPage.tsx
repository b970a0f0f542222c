import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { type ReportFormat } from '../../generated/graphql';
import { ExportMonetizationReportDocument } from '../../generated/contract';
import { useEventId } from '../../app/EventLayout';
import { Button, Card, PageHeader } from '../../components/ui';
import { ErrorNotice } from '../../components/status';
import { useToaster } from '../../components/toast';
import { DateRangePicker } from '../revenue/DateRangePicker';
import { lastDays, todayUtc, type DateRange } from '../revenue/date-range';
import { ScheduledReports } from '../reports/ScheduledReports';
import { downloadBase64 } from './download';

const FORMATS: { format: ReportFormat; label: string; description: string }[] = [
  { format: 'XLSX', label: 'Excel workbook', description: 'One sheet per section: Revenue, Offers, Ads, Waitlist, Funnel.' },
  { format: 'CSV', label: 'CSV file', description: 'The same sections as blocks in one file.' },
];

/**
 * Exports: the monetization report as CSV or XLSX through exportMonetizationReport, downloaded as a
 * file, and the event's scheduled reports.
 */
export default function ExportsPage() {
  const eventId = useEventId();
  const toaster = useToaster();
  const today = todayUtc();
  const [range, setRange] = useState<DateRange>(() => lastDays(30, today));
  const [exportReport, { loading, error }] = useMutation(ExportMonetizationReportDocument);
  const [pending, setPending] = useState<ReportFormat | null>(null);

  const download = async (format: ReportFormat) => {
    setPending(format);
    try {
      const { data } = await exportReport({ variables: { eventId, ...range, format } });
      if (data?.exportMonetizationReport) {
        downloadBase64(data.exportMonetizationReport);
        toaster.notify({ title: `Downloaded ${data.exportMonetizationReport.filename}` });
      }
    } catch {
      // Shown from the mutation's error below.
    } finally {
      setPending(null);
    }
  };

  return (
    <>
      <PageHeader title="Exports" description="Download the monetization report for a period, or have it emailed on a schedule." />
      <div className="grid grid-2">
        <Card title="Monetization report" className="span-2">
          <div className="form">
            <DateRangePicker value={range} onChange={setRange} today={today} />
            {error && <ErrorNotice title="The report could not be exported">{error.message}</ErrorNotice>}
            <div className="grid grid-2">
              {FORMATS.map(({ format, label, description }) => (
                <div key={format} className="export-option">
                  <div>
                    <p className="cell-title">{label}</p>
                    <p className="muted">{description}</p>
                  </div>
                  <Button variant="primary" disabled={loading} onClick={() => void download(format)}>
                    {pending === format ? 'Preparing…' : `Download ${format}`}
                  </Button>
                </div>
              ))}
            </div>
          </div>
        </Card>
        <ScheduledReports eventId={eventId} />
      </div>
    </>
  );
}
