import { Button } from '../../components/ui';
import { Field } from '../../components/Field';
import { lastDays, withFrom, withTo, type DateRange } from './date-range';

const PRESETS = [7, 30, 90, 365] as const;

/**
 * From and to dates of a report. `from` never passes `to` (moving one moves the other) and the span
 * never exceeds the server's 366 days, so the picker cannot produce a range the server refuses.
 */
export function DateRangePicker({ value, onChange, today }: { value: DateRange; onChange(range: DateRange): void; today: string }) {
  return (
    <div className="range" role="group" aria-label="Report period">
      <Field label="From">
        <input type="date" value={value.from} max={today} onChange={(event) => onChange(withFrom(value, event.target.value))} />
      </Field>
      <Field label="To">
        <input type="date" value={value.to} onChange={(event) => onChange(withTo(value, event.target.value))} />
      </Field>
      <div className="range-presets">
        {PRESETS.map((days) => (
          <Button key={days} variant="ghost" onClick={() => onChange(lastDays(days, today))} aria-label={`Last ${days} days`}>
            {days} days
          </Button>
        ))}
      </div>
    </div>
  );
}
