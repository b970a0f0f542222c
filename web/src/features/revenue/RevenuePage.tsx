import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { EventMonetizationDocument } from '../../generated/contract';
import { useEventId } from '../../app/EventLayout';
import { ChartBoundary } from '../../components/ChartBoundary';
import { Card, PageHeader } from '../../components/ui';
import { ErrorNotice } from '../../components/status';
import { DateRangePicker } from './DateRangePicker';
import { lastDays, todayUtc, type DateRange } from './date-range';
import { AdPerformanceChart, FunnelChart, OfferPerformanceChart, RevenueOverview, WaitlistChart, type SectionProps } from './sections';

/**
 * Revenue insights: the contract's EventMonetization document, one request per load and per
 * period, each chart in its own error boundary so one failing subgraph leaves the others standing.
 */
export default function RevenuePage() {
  const eventId = useEventId();
  const today = todayUtc();
  const [range, setRange] = useState<DateRange>(() => lastDays(30, today));
  const { data, error, loading, refetch } = useQuery(EventMonetizationDocument, {
    variables: { eventId, ...range },
    errorPolicy: 'all',
    fetchPolicy: 'cache-and-network',
    notifyOnNetworkStatusChange: true,
  });
  const graphQLErrors = error && 'errors' in error ? (error.errors as SectionProps['errors']) : undefined;
  const rangeError = graphQLErrors?.find((e) => e.extensions?.code === 'BAD_USER_INPUT');
  const denied = graphQLErrors?.find((e) => e.extensions?.code === 'FORBIDDEN' || e.extensions?.code === 'NOT_FOUND');
  const props: SectionProps = { data, errors: graphQLErrors ?? (error && !data ? [{ message: error.message }] : undefined) };
  const retry = () => void refetch();
  const chart = (title: string, body: React.ReactNode, className?: string) => (
    <Card title={title} className={className}>
      {loading && !data ? <div className="chart-fallback" aria-busy="true">Loading…</div> : <ChartBoundary key={`${range.from}${range.to}${String(loading)}`} title={title} onRetry={retry}>{body}</ChartBoundary>}
    </Card>
  );
  return (
    <>
      <PageHeader
        title="Revenue insights"
        description="Offers, ads and waitlist for the period, in UTC days."
        actions={<DateRangePicker value={range} onChange={setRange} today={today} />}
      />
      {rangeError && <ErrorNotice title="The server refused this period">{rangeError.message}</ErrorNotice>}
      {denied && !data?.event && <ErrorNotice title="You cannot see this event's revenue">{denied.message}</ErrorNotice>}
      <div className="grid grid-2">
        {chart('Revenue overview', <RevenueOverview {...props} />, 'span-2')}
        {chart('Offer performance', <OfferPerformanceChart {...props} />, 'span-2')}
        {chart('Ad campaign performance', <AdPerformanceChart {...props} />)}
        {chart('Waitlist', <WaitlistChart {...props} />)}
        {chart('Conversion funnel', <FunnelChart {...props} />, 'span-2')}
      </div>
    </>
  );
}
