import { useState, type FormEvent } from 'react';
import { Field } from '../../components/Field';
import { Button } from '../../components/ui';
import { MAX_QUANTITY, maxQuantity, quantityError } from './quantity';

export interface BuyFormProps {
  offerTitle: string;
  available: number | null | undefined;
  /** Buys; resolves with the server's error on the quantity, or other errors, when it refused. */
  onBuy(quantity: number): Promise<{ quantity?: string; other?: string }>;
}

/** Quantity 1 to 20 (or what is left), checked as typed; Buy disabled while invalid. */
export function BuyForm({ offerTitle, available, onBuy }: BuyFormProps) {
  const [quantity, setQuantity] = useState('1');
  const [serverError, setServerError] = useState<string | undefined>();
  const [buying, setBuying] = useState(false);
  const error = quantityError(quantity, available) ?? serverError;
  const soldOut = available === 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (quantityError(quantity, available) || buying || soldOut) return;
    setBuying(true);
    try {
      const result = await onBuy(Number(quantity.trim()));
      setServerError(result.quantity ?? result.other);
      if (!result.quantity && !result.other) setQuantity('1');
    } finally {
      setBuying(false);
    }
  };

  return (
    <form className="buy-form" onSubmit={submit} noValidate aria-label={`Buy ${offerTitle}`}>
      <Field label="Quantity" hint={soldOut ? undefined : `1 to ${maxQuantity(available)}.`} error={soldOut ? undefined : error}>
        <input
          type="number"
          min={1}
          max={maxQuantity(available) || MAX_QUANTITY}
          inputMode="numeric"
          value={quantity}
          disabled={soldOut}
          onChange={(e) => {
            setQuantity(e.target.value);
            setServerError(undefined);
          }}
        />
      </Field>
      <Button type="submit" variant="primary" disabled={soldOut || buying || Boolean(quantityError(quantity, available))}>
        {soldOut ? 'Sold out' : buying ? 'Buying…' : 'Buy'}
      </Button>
    </form>
  );
}
