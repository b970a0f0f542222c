import { Field } from '../../components/Field';
import { Button } from '../../components/ui';
import { ErrorNotice } from '../../components/status';
import { useValidatedForm } from '../../lib/use-validated-form';
import { validateAd, type AdFormErrors, type AdFormValues } from './ad-validation';

export interface AdFormProps {
  initial: AdFormValues;
  submitLabel: string;
  onSubmit(values: AdFormValues): Promise<{ fields: AdFormErrors; other: string[] }>;
  onCancel(): void;
}

/** The ad form, on the same pattern as the offer form: inline rules, submit disabled while invalid, server errors on their field. */
export function AdForm({ initial, submitLabel, onSubmit, onCancel }: AdFormProps) {
  const { values, set, shown, blur, submit, submitting, invalid, otherErrors } = useValidatedForm(initial, validateAd, onSubmit);
  const text = (key: Exclude<keyof AdFormValues, 'isActive'>) => ({
    value: values[key],
    onChange: (event: { target: { value: string } }) => set(key, event.target.value),
    onBlur: blur(key),
  });

  return (
    <form className="form" onSubmit={submit} noValidate>
      {otherErrors.length > 0 && <ErrorNotice title="The ad was not saved">{otherErrors.join(' ')}</ErrorNotice>}
      <Field label="Name" hint="1 to 200 characters." error={shown('name')}>
        <input {...text('name')} />
      </Field>
      <Field label="Creative URL" hint="The image or video shown, http(s)." error={shown('mediaUrl')}>
        <input type="url" {...text('mediaUrl')} placeholder="https://" />
      </Field>
      <Field label="Click URL" hint="Where a click goes, http(s)." error={shown('clickUrl')}>
        <input type="url" {...text('clickUrl')} placeholder="https://" />
      </Field>
      <div className="form-row">
        <Field label="Starts (optional)" error={shown('startsAt')}>
          <input type="datetime-local" {...text('startsAt')} />
        </Field>
        <Field label="Ends (optional)" error={shown('endsAt')}>
          <input type="datetime-local" {...text('endsAt')} />
        </Field>
      </div>
      <div className="form-row">
        <Field label="Placements" hint="Comma-separated, e.g. lobby-banner, stage-sidebar." error={shown('placements')}>
          <input {...text('placements')} />
        </Field>
        <Field label="Target sessions" hint="Session ids, comma-separated; empty for every session." error={shown('targetSessions')}>
          <input {...text('targetSessions')} />
        </Field>
      </div>
      <div className="form-row">
        <Field label="Frequency cap" hint="Impressions per person per 24 h; empty for no cap." error={shown('frequencyCap')}>
          <input inputMode="numeric" {...text('frequencyCap')} />
        </Field>
        <Field label="Aspect ratio" hint="Width:height, e.g. 16:9." error={shown('aspectRatio')}>
          <input {...text('aspectRatio')} />
        </Field>
      </div>
      <Field label="Weight" hint="1 to 1000: how often it is picked among eligible ads." error={shown('weight')}>
        <input inputMode="numeric" {...text('weight')} />
      </Field>
      <label className="check">
        <input type="checkbox" checked={values.isActive} onChange={(e) => set('isActive', e.target.checked)} />
        Active
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
