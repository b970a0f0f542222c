import type { OfferType } from '../../generated/graphql';
import { Field } from '../../components/Field';
import { Button } from '../../components/ui';
import { ErrorNotice } from '../../components/status';
import { useValidatedForm } from '../../lib/use-validated-form';
import { validateOffer, type OfferFormErrors, type OfferFormValues } from './offer-validation';

const TYPES: { value: OfferType; label: string }[] = [
  { value: 'TICKET_UPGRADE', label: 'Ticket upgrade' },
  { value: 'PHYSICAL', label: 'Physical item' },
  { value: 'SERVICE', label: 'Service' },
  { value: 'DIGITAL', label: 'Digital' },
];

export interface OfferFormProps {
  initial: OfferFormValues;
  /** Editing: empty price fields keep the offer's current amounts, shown as hints. */
  current?: { price: string; originalPrice?: string | null };
  submitLabel: string;
  /** Sends the values; resolves with the server's field errors (empty when it was accepted). */
  onSubmit(values: OfferFormValues): Promise<{ fields: OfferFormErrors; other: string[] }>;
  onCancel(): void;
}

/**
 * The offer form: every rule checked as the person types, errors shown once a field was left or a
 * submit tried, submit disabled while anything is invalid, and the server's BAD_USER_INPUT shown
 * on the field its `extensions.field` names.
 */
export function OfferForm({ initial, current, submitLabel, onSubmit, onCancel }: OfferFormProps) {
  const { values, set, shown, blur, submit, submitting, invalid, otherErrors } = useValidatedForm(
    initial,
    (candidate) => validateOffer(candidate, Boolean(current)),
    onSubmit,
  );

  return (
    <form className="form" onSubmit={submit} noValidate>
      {otherErrors.length > 0 && <ErrorNotice title="The offer was not saved">{otherErrors.join(' ')}</ErrorNotice>}
      <Field label="Title" error={shown('title')}>
        <input value={values.title} onChange={(e) => set('title', e.target.value)} onBlur={blur('title')} maxLength={250} />
      </Field>
      <div className="form-row">
        <Field label="Type">
          <select value={values.type} onChange={(e) => set('type', e.target.value as OfferType)}>
            {TYPES.map((type) => (
              <option key={type.value} value={type.value}>
                {type.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Units for sale" hint="Leave empty for unlimited." error={shown('inventoryTotal')}>
          <input inputMode="numeric" value={values.inventoryTotal} onChange={(e) => set('inventoryTotal', e.target.value)} onBlur={blur('inventoryTotal')} />
        </Field>
      </div>
      <div className="form-row">
        <Field label="Price" hint={current ? `Now ${current.price}. Leave empty to keep it.` : 'In the event’s currency, e.g. 12.50; at most 999,999.99.'} error={shown('price')}>
          <input inputMode="decimal" value={values.price} onChange={(e) => set('price', e.target.value)} onBlur={blur('price')} placeholder="0.00" />
        </Field>
        <Field
          label="Original price (optional)"
          hint={current?.originalPrice ? `Now ${current.originalPrice}. Leave empty to keep it.` : 'Shown struck through; at least the price.'}
          error={shown('originalPrice')}
        >
          <input inputMode="decimal" value={values.originalPrice} onChange={(e) => set('originalPrice', e.target.value)} onBlur={blur('originalPrice')} />
        </Field>
      </div>
      <Field label="Image URL (optional)" hint="An https:// address." error={shown('imageUrl')}>
        <input type="url" value={values.imageUrl} onChange={(e) => set('imageUrl', e.target.value)} onBlur={blur('imageUrl')} placeholder="https://" />
      </Field>
      <Field label="Description (optional)" error={shown('description')}>
        <textarea rows={3} value={values.description} onChange={(e) => set('description', e.target.value)} onBlur={blur('description')} />
      </Field>
      <label className="check">
        <input type="checkbox" checked={values.isActive} onChange={(e) => set('isActive', e.target.checked)} />
        Active (on sale when in stock)
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
