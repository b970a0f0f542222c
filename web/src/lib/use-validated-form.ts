import { useMemo, useState, type FormEvent } from 'react';

/** What a form's submit resolves with: the server's errors per field, and those of no field. */
export interface SubmitOutcome<Values> {
  fields: Partial<Record<keyof Values, string>>;
  other: string[];
}

/**
 * The one behaviour of the dashboard's forms: every rule checked as the person types, a field's
 * error shown once it was left or changed, submit refused while anything is invalid, and the
 * server's BAD_USER_INPUT shown on the field its `extensions.field` names until that field changes.
 */
export function useValidatedForm<Values extends object>(
  initial: Values,
  validate: (values: Values) => Partial<Record<keyof Values, string>>,
  onSubmit: (values: Values) => Promise<SubmitOutcome<Values>>,
) {
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Partial<Record<keyof Values, boolean>>>({});
  const [serverErrors, setServerErrors] = useState<Partial<Record<keyof Values, string>>>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const errors = useMemo(() => validate(values), [validate, values]);
  const invalid = Object.keys(errors).length > 0;

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((previous) => ({ ...previous, [key]: value }));
    setServerErrors(({ [key]: _dropped, ...rest }) => rest as Partial<Record<keyof Values, string>>);
  };
  const shown = (key: keyof Values) => (touched[key] || values[key] !== initial[key] ? errors[key] : undefined) ?? serverErrors[key];
  const blur = (key: keyof Values) => () => setTouched((previous) => ({ ...previous, [key]: true }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (invalid || submitting) return;
    setSubmitting(true);
    setOtherErrors([]);
    try {
      const result = await onSubmit(values);
      setServerErrors(result.fields);
      setOtherErrors(result.other);
    } finally {
      setSubmitting(false);
    }
  };

  return { values, errors, set, shown, blur, submit, submitting, invalid, otherErrors };
}
