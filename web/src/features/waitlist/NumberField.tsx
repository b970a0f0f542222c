import { useId } from 'react';

/**
 * A labelled number input whose hint and error are tied to it (`aria-describedby`), marked
 * `aria-invalid` while its error shows; the error is announced when it appears.
 */
export function NumberField(props: { label: string; value: string; onChange(value: string): void; hint: string; error: string | null; min?: number; max?: number; autoFocus?: boolean }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={props.min}
        max={props.max}
        step={1}
        value={props.value}
        autoFocus={props.autoFocus}
        onChange={(event) => props.onChange(event.target.value)}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${hintId} ${errorId}` : hintId}
      />
      <p id={hintId} className="field-hint">
        {props.hint}
      </p>
      <p id={errorId} className="field-error" role="alert" hidden={!props.error}>
        {props.error}
      </p>
    </div>
  );
}
