import { useState, type FormEvent } from 'react';
import { Dialog } from 'radix-ui';
import { useMutation } from '@apollo/client/react';
import { Button, Card } from '../../components/ui';
import { WaitlistUpdateCapacityDocument, type WaitlistCapacityFragment } from '../../generated/graphql';
import { serverProblem } from './errors';
import { capacityError, MAX_CAPACITY } from './forms';
import { NumberField } from './NumberField';

const n = (value: number) => value.toLocaleString('en-US');

/** The session's seats at a glance, and the capacity manager. */
export function CapacityCard({ capacity, onChanged }: { capacity: WaitlistCapacityFragment; onChanged(capacity: WaitlistCapacityFragment): void }) {
  const stats = [
    { label: 'Seats', value: capacity.total, sub: `${n(capacity.used)} taken` },
    { label: 'Free', value: capacity.available, sub: `${n(capacity.offered)} held by open offers` },
    { label: 'Can offer now', value: capacity.offerable, sub: 'seats neither taken nor offered' },
    { label: 'Waiting', value: capacity.waiting, sub: 'in line or holding an offer' },
  ];
  return (
    <Card title="Seats" actions={<CapacityDialog capacity={capacity} onChanged={onChanged} />} className="wl-capacity">
      <dl className="wl-stats">
        {stats.map((stat) => (
          <div key={stat.label} className="wl-stat">
            <dt className="stat-label">{stat.label}</dt>
            <dd className="stat-value">{n(stat.value)}</dd>
            <dd className="stat-sub">{stat.sub}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

function CapacityDialog({ capacity, onChanged }: { capacity: WaitlistCapacityFragment; onChanged(capacity: WaitlistCapacityFragment): void }) {
  const [open, setOpen] = useState(false);
  const [total, setTotal] = useState(String(capacity.total));
  const [offerNewSeats, setOfferNewSeats] = useState(true);
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [update, { loading }] = useMutation(WaitlistUpdateCapacityDocument);
  const error = capacityError(total, capacity.used);
  const shown = serverError ?? (touched ? error : null);

  const reset = (next: boolean) => {
    setOpen(next);
    if (next) {
      setTotal(String(capacity.total));
      setTouched(false);
      setServerError(null);
      setFormError(null);
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (error) return;
    try {
      const result = await update({ variables: { sessionId: capacity.sessionId, total: Number(total), offerNewSeats } });
      if (result.data) onChanged(result.data.updateSessionCapacity);
      setOpen(false);
    } catch (failure) {
      const problem = serverProblem(failure);
      if (problem.field === 'total') setServerError(problem.message);
      else setFormError(problem.message);
    }
  };
  const raising = Number(total) > capacity.total;
  return (
    <Dialog.Root open={open} onOpenChange={reset}>
      <Dialog.Trigger asChild>
        <Button>Change capacity</Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog-content wl-dialog">
          <Dialog.Title className="dialog-title">Session capacity</Dialog.Title>
          <Dialog.Description className="dialog-description">
            {n(capacity.used)} of {n(capacity.total)} seats are taken and {n(capacity.offered)} are held by open offers.
          </Dialog.Description>
          <form className="form" onSubmit={submit} noValidate>
            <NumberField
              label="Seats"
              value={total}
              min={capacity.used}
              max={MAX_CAPACITY}
              autoFocus
              onChange={(value) => {
                setTotal(value);
                setTouched(true);
                setServerError(null);
              }}
              hint={`From ${n(capacity.used)} (seats taken) to ${n(MAX_CAPACITY)}.`}
              error={shown}
            />
            <label className="check">
              <input type="checkbox" checked={offerNewSeats} onChange={(event) => setOfferNewSeats(event.target.checked)} />
              Offer new seats to the next people in line right away
            </label>
            {raising && !offerNewSeats && <p className="field-hint">New seats stay free until you send offers yourself.</p>}
            {formError && (
              <p className="field-error" role="alert">
                {formError}
              </p>
            )}
            <div className="form-actions">
              <Dialog.Close asChild>
                <Button>Cancel</Button>
              </Dialog.Close>
              <Button type="submit" variant="primary" disabled={loading || Boolean(error)}>
                {loading ? 'Saving…' : 'Save capacity'}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
