import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ComponentProps } from 'react';

export interface BarSeries {
  /** The row's field holding this series' value, also its name in the legend and tooltip. */
  key: string;
  color: string;
  name?: string;
}

interface HorizontalBarChartProps<Row extends { name: string }> {
  rows: Row[];
  series: BarSeries[];
  /** What a screen reader hears instead of the chart. */
  label: string;
  legend?: boolean;
  tooltipFormatter?: ComponentProps<typeof Tooltip>['formatter'];
}

const ROW_HEIGHT = 44;

/**
 * Bars that grow to the right, one row per category: the category names sit on the left, where a
 * title as long as "VIP lounge upgrade" stays readable at phone width (it wraps instead of being
 * dropped, as a crowded horizontal axis drops its labels), and the chart grows with its rows.
 */
export function HorizontalBarChart<Row extends { name: string }>({ rows, series, label, legend = series.length > 1, tooltipFormatter }: HorizontalBarChartProps<Row>) {
  const height = Math.max(140, rows.length * ROW_HEIGHT * Math.max(1, series.length * 0.75) + (legend ? 56 : 32));
  return (
    <div className="chart" style={{ height }} role="img" aria-label={label}>
      <ResponsiveContainer>
        <BarChart data={rows} layout="vertical" margin={{ top: 8, right: 24, left: 8, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
          <YAxis type="category" dataKey="name" width={112} interval={0} tick={{ fontSize: 12 }} />
          <Tooltip formatter={tooltipFormatter} />
          {legend && <Legend />}
          {series.map((bar) => (
            <Bar key={bar.key} isAnimationActive={false} dataKey={bar.key} name={bar.name ?? bar.key} fill={bar.color} radius={[0, 4, 4, 0]} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
