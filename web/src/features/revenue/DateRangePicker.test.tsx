/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { DateRangePicker } from './DateRangePicker';
import { MAX_SPAN_DAYS, spanDays, withFrom, withTo, type DateRange } from './date-range';

function Harness({ initial, onChange }: { initial: DateRange; onChange(range: DateRange): void }) {
  const [range, setRange] = useState(initial);
  return (
    <DateRangePicker
      value={range}
      today="2026-11-30"
      onChange={(next) => {
        onChange(next);
        setRange(next);
      }}
    />
  );
}

describe('the report period picker', () => {
  it('moves `to` along when `from` is moved past it', () => {
    const changes: DateRange[] = [];
    render(<Harness initial={{ from: '2026-11-01', to: '2026-11-10' }} onChange={(range) => changes.push(range)} />);
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-20' } });
    expect(changes).toEqual([{ from: '2026-11-20', to: '2026-11-20' }]);
    expect(screen.getByLabelText('To')).toHaveValue('2026-11-20');
  });

  it('moves `from` along when `to` is moved before it', () => {
    const changes: DateRange[] = [];
    render(<Harness initial={{ from: '2026-11-10', to: '2026-11-20' }} onChange={(range) => changes.push(range)} />);
    fireEvent.change(screen.getByLabelText('To'), { target: { value: '2026-11-05' } });
    expect(changes).toEqual([{ from: '2026-11-05', to: '2026-11-05' }]);
  });

  it('never spans more than the server’s 366 days, counting both ends', () => {
    const far = withFrom({ from: '2026-11-01', to: '2026-11-30' }, '2024-01-01');
    expect(far).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(spanDays(far)).toBe(MAX_SPAN_DAYS);
    const late = withTo({ from: '2024-01-01', to: '2024-02-01' }, '2026-11-30');
    expect(spanDays(late)).toBe(MAX_SPAN_DAYS);
    expect(late.to).toBe('2026-11-30');
  });

  it('ignores a half-typed date and offers presets ending today', () => {
    const changes: DateRange[] = [];
    render(<Harness initial={{ from: '2026-11-01', to: '2026-11-10' }} onChange={(range) => changes.push(range)} />);
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '' } });
    expect(changes).toEqual([{ from: '2026-11-01', to: '2026-11-10' }]);
    fireEvent.click(screen.getByRole('button', { name: 'Last 7 days' }));
    expect(changes.at(-1)).toEqual({ from: '2026-11-24', to: '2026-11-30' });
  });
});
