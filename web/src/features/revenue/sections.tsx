import { useMemo } from 'react';
import type { GraphQLFormattedError } from 'graphql';
import type { EventMonetizationQuery } from '../../generated/contract';
import { errorAt } from '../../lib/graphql-errors';
import { formatCount, formatRatio } from '../../lib/format';
import { MoneyText } from '../../components/MoneyText';
import { EmptyState } from '../../components/status';
import { HorizontalBarChart } from './HorizontalBarChart';

type EventData = NonNullable<EventMonetizationQuery['event']>;
type Analytics = NonNullable<EventData['monetizationAnalytics']>;

export interface SectionProps {
  data: EventMonetizationQuery | undefined;
  errors: readonly GraphQLFormattedError[] | undefined;
}

/** A section's data, or a throw its chart's error boundary turns into "Failed to load chart". */
function useSection<T>({ data, errors }: SectionProps, path: string[], pick: (event: EventData) => T | null | undefined): T {
  const error = errorAt(errors, path);
  const value = data?.event ? pick(data.event) : undefined;
  if (value === null || value === undefined) throw new Error(error?.message ?? 'No data for this chart.');
  return value;
}

const analyticsPath = (section: string) => ['event', 'monetizationAnalytics', section];

const COLORS = { primary: '#3b4fd8', secondary: '#12a594', tertiary: '#e5484d', quaternary: '#f5a524', muted: '#8b93a1' };

function Stat({ label, value, sub }: { label: string; value: React.ReactNode; sub?: React.ReactNode }) {
  return (
    <div>
      <p className="stat-label">{label}</p>
      <p className="stat-value">{value}</p>
      {sub && <p className="stat-sub">{sub}</p>}
    </div>
  );
}

export function RevenueOverview(props: SectionProps) {
  const analytics = useSection(props, ['event', 'monetizationAnalytics'], (event) => event.monetizationAnalytics);
  const conversion = useMemo(
    () => (analytics.funnel.offerViews > 0 ? formatRatio(analytics.funnel.purchases / analytics.funnel.offerViews) : '—'),
    [analytics.funnel],
  );
  return (
    <div className="grid grid-4">
      <Stat label="Total revenue" value={<MoneyText money={analytics.revenue.total} />} sub="net of refunds" />
      <Stat label="From offers" value={<MoneyText money={analytics.revenue.fromOffers} />} />
      <Stat label="Purchases" value={formatCount(analytics.funnel.purchases)} />
      <Stat label="View → purchase" value={conversion} />
    </div>
  );
}

export function OfferPerformanceChart(props: SectionProps) {
  const rows = useSection(props, analyticsPath('offerPerformance'), (event) => event.monetizationAnalytics?.offerPerformance);
  const chart = useMemo(() => rows.map((row) => ({ name: row.offer?.title ?? 'Unknown offer', Views: row.views, Purchases: row.purchases })), [rows]);
  if (rows.length === 0) return <EmptyState title="No offer activity in this period" />;
  return (
    <>
      <HorizontalBarChart
        rows={chart}
        label={`Views and purchases of ${rows.length} offers`}
        series={[
          { key: 'Views', color: COLORS.muted },
          { key: 'Purchases', color: COLORS.primary },
        ]}
      />
      <div className="table-wrap">
        <table className="responsive-table">
          <thead>
            <tr>
              <th scope="col">Offer</th>
              <th scope="col" className="num">Units sold</th>
              <th scope="col" className="num">Revenue</th>
              <th scope="col" className="num">Conversion</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.offer?.id ?? index}>
                <td className="cell-main cell-title">{row.offer?.title ?? 'Unknown offer'}</td>
                <td className="num" data-label="Units sold">{formatCount(row.unitsSold)}</td>
                <td className="num" data-label="Revenue"><MoneyText money={row.revenue} /></td>
                <td className="num" data-label="Conversion">{formatRatio(row.conversionRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function AdPerformanceChart(props: SectionProps) {
  // The ads of the event come from the ads subgraph: when it fails, this chart falls back alone.
  const ads = useSection(props, ['event', 'ads'], (event) => event.ads);
  const rows = useSection(props, analyticsPath('adPerformance'), (event) => event.monetizationAnalytics?.adPerformance);
  const chart = useMemo(() => rows.map((row) => ({ name: row.ad?.name ?? 'Unknown ad', Impressions: row.impressions, Clicks: row.clicks })), [rows]);
  const live = ads.filter((ad) => ad.isActive).length;
  return (
    <>
      <p className="muted">
        {formatCount(ads.length)} ads, {formatCount(live)} active
      </p>
      {rows.length === 0 ? (
        <EmptyState title="No ad impressions in this period" />
      ) : (
        <HorizontalBarChart
          rows={chart}
          label={`Impressions and clicks of ${rows.length} ads`}
          series={[
            { key: 'Impressions', color: COLORS.muted },
            { key: 'Clicks', color: COLORS.secondary },
          ]}
        />
      )}
    </>
  );
}

export function WaitlistChart(props: SectionProps) {
  const waitlist = useSection(props, analyticsPath('waitlist'), (event) => event.monetizationAnalytics?.waitlist);
  const chart = useMemo(
    () => [
      { name: 'Joined', value: waitlist.joined },
      { name: 'Offers sent', value: waitlist.offersSent },
      { name: 'Accepted', value: waitlist.accepted },
      { name: 'Declined', value: waitlist.declined },
      { name: 'Expired', value: waitlist.expired },
    ],
    [waitlist],
  );
  if (chart.every((row) => row.value === 0)) return <EmptyState title="Nobody joined a waitlist in this period" />;
  return (
    <>
      <p className="muted">Acceptance rate {formatRatio(waitlist.acceptanceRate)}</p>
      <HorizontalBarChart
        rows={chart}
        label={chart.map((row) => `${row.name} ${row.value}`).join(', ')}
        series={[{ key: 'value', name: 'People', color: COLORS.quaternary }]}
      />
    </>
  );
}

export function FunnelChart(props: SectionProps) {
  const funnel = useSection(props, analyticsPath('funnel'), (event: EventData) => event.monetizationAnalytics?.funnel);
  const chart = useMemo(() => {
    const steps = [
      { name: 'Offer views', value: funnel.offerViews },
      { name: 'Offer clicks', value: funnel.offerClicks },
      { name: 'Purchases', value: funnel.purchases },
    ];
    return steps.map((step) => ({ ...step, share: funnel.offerViews > 0 ? formatRatio(step.value / funnel.offerViews) : '—' }));
  }, [funnel]);
  if (funnel.offerViews === 0 && funnel.purchases === 0) return <EmptyState title="No offer views in this period" />;
  return (
    <HorizontalBarChart
      rows={chart}
      label={chart.map((step) => `${step.name} ${step.value} (${step.share})`).join(', ')}
      series={[{ key: 'value', name: 'People', color: COLORS.primary }]}
      tooltipFormatter={(value, _name, item) => [`${value} (${(item.payload as { share: string }).share} of views)`, 'People']}
    />
  );
}

export type { Analytics };
