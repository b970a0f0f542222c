import { useMemo } from 'react';
import type { ReportFormat, ReportFrequency, Weekday } from '../../generated/graphql';
import { Field } from '../../components/Field';
import { Button } from '../../components/ui';
import { ErrorNotice } from '../../components/status';
import { useValidatedForm } from '../../lib/use-validated-form';
import {
  FORMATS,
  FREQUENCIES,
  MAX_RECIPIENTS,
  WEEKDAYS,
  splitRecipients,
  timeZoneOptions,
  uniqueRecipients,
  validateSchedule,
  type ScheduleFormErrors,
  type ScheduleFormValues,
} from './schedule-form';

export interface ScheduleFormProps {
  initial: ScheduleFormValues;
  submitLabel: string;
  /** Sends the values; resolves with the server's field errors (empty when it was accepted). */
  onSubmit(values: ScheduleFormValues): Promise<{ fields: ScheduleFormErrors; other: string[] }>;
  onCancel(): void;
}

/**
 * The schedule form: the analytics subgraph's rules checked as the person types, errors shown once
 * a field was left or changed or a submit tried, submit disabled while anything is invalid, and the
 * server's BAD_USER_INPUT shown on the field its `extensions.field` names.
 */
export function ScheduleForm({ initial, submitLabel, onSubmit, onCancel }: ScheduleFormProps) {
  const { values, errors, set, shown, blur, submit, submitting, invalid, otherErrors } = useValidatedForm(initial, validateSchedule, onSubmit);
  const zones = useMemo(() => timeZoneOptions(initial.timeZone), [initial.timeZone]);
  const recipientCount = uniqueRecipients(splitRecipients(values.recipients)).length;

  return (
    <form className="form" onSubmit={submit} noValidate>
      {otherErrors.length > 0 && <ErrorNotice title="The schedule was not saved">{otherErrors.join(' ')}</ErrorNotice>}
      <div className="form-row">
        <Field label="Frequency" error={shown('frequency')}>
          <select value={values.frequency} onChange={(e) => set('frequency', e.target.value as ReportFrequency)}>
            {FREQUENCIES.map((frequency) => (
              <option key={frequency.value} value={frequency.value}>
                {frequency.label}
              </option>
            ))}
          </select>
        </Field>
        {values.frequency === 'WEEKLY' && (
          <Field label="Day of the week" error={shown('weekday')}>
            <select value={values.weekday} onChange={(e) => set('weekday', e.target.value as Weekday)}>
              {WEEKDAYS.map((weekday) => (
                <option key={weekday.value} value={weekday.value}>
                  {weekday.label}
                </option>
              ))}
            </select>
          </Field>
        )}
        {values.frequency === 'MONTHLY' && (
          <Field label="Day of the month" hint="1 to 28, so that every month has it." error={shown('dayOfMonth')}>
            <input inputMode="numeric" value={values.dayOfMonth} onChange={(e) => set('dayOfMonth', e.target.value)} onBlur={blur('dayOfMonth')} />
          </Field>
        )}
        {values.frequency === 'DAILY' && (
          <p className="field-hint schedule-frequency-hint">Each report covers the day before.</p>
        )}
      </div>
      <div className="form-row">
        <Field label="Time" hint="24-hour, HH:MM." error={shown('timeOfDay')}>
          <input inputMode="numeric" value={values.timeOfDay} onChange={(e) => set('timeOfDay', e.target.value)} onBlur={blur('timeOfDay')} placeholder="08:00" maxLength={5} />
        </Field>
        <Field label="Time zone" hint="Runs follow its daylight saving changes." error={shown('timeZone')}>
          <select value={values.timeZone} onChange={(e) => set('timeZone', e.target.value)} onBlur={blur('timeZone')}>
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field label="Format" error={shown('format')}>
        <select value={values.format} onChange={(e) => set('format', e.target.value as ReportFormat)}>
          {FORMATS.map((format) => (
            <option key={format.value} value={format.value}>
              {format.label}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label="Recipients"
        hint={`Email addresses, one per line or separated by commas; 1 to ${MAX_RECIPIENTS}.${recipientCount > 0 && !errors.recipients ? ` ${recipientCount} so far.` : ''}`}
        error={shown('recipients')}
      >
        <textarea
          rows={3}
          value={values.recipients}
          onChange={(e) => set('recipients', e.target.value)}
          onBlur={blur('recipients')}
          placeholder="finance@example.com"
          autoComplete="off"
          spellCheck={false}
        />
      </Field>
      <label className="check">
        <input type="checkbox" checked={values.isActive} onChange={(e) => set('isActive', e.target.checked)} />
        Active (send on schedule)
      </label>
      <div className="form-actions">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={invalid || submitting}>
          {submitting ? 'Saving…' : submitLabel}
        </Button>
      </div>
    </form>
  );
}
