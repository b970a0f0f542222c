import { useState, type FormEvent } from 'react';
import { Dialog } from 'radix-ui';
import { useMutation } from '@apollo/client/react';
import { Button } from '../../components/ui';
import { useToaster } from '../../components/toast';
import { BulkSendWaitlistOffersDocument } from '../../generated/contract';
import { serverProblem } from './errors';
import { bulkCountError, MAX_BULK_OFFERS } from './forms';
import { NumberField } from './NumberField';

/** Offers to the next people in line, after the organizer confirms how many. */
export function BulkSendDialog({ sessionId, offerable, waiting }: { sessionId: string; offerable: number; waiting: number }) {
  const toaster = useToaster();
  const [open, setOpen] = useState(false);
  const [count, setCount] = useState('1');
  const [serverError, setServerError] = useState<string | null>(null);
  const [send, { loading }] = useMutation(BulkSendWaitlistOffersDocument);
  const error = bulkCountError(count, offerable);
  const shown = serverError ?? error;
  const most = Math.min(MAX_BULK_OFFERS, offerable);
  const nobody = offerable === 0 || waiting === 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (error) return;
    try {
      const result = await send({ variables: { sessionId, count: Number(count) } });
      const sent = result.data?.bulkSendWaitlistOffers.length ?? 0;
      toaster.notify({ title: sent === 1 ? '1 offer sent' : `${sent} offers sent`, description: sent < Number(count) ? 'Fewer people were waiting than you asked for.' : undefined });
      setOpen(false);
    } catch (failure) {
      setServerError(serverProblem(failure).message);
    }
  };
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setCount(String(Math.max(1, Math.min(most, waiting))));
        setServerError(null);
      }}
    >
      <Dialog.Trigger asChild>
        <Button variant="primary" disabled={nobody} title={nobody ? (offerable === 0 ? 'No free seat to offer' : 'Nobody is waiting') : undefined}>
          Send offers…
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog-content wl-dialog">
          <Dialog.Title className="dialog-title">Send offers to the next people in line</Dialog.Title>
          <Dialog.Description className="dialog-description">
            Each person gets a notification with a link to take a seat before the offer expires. {offerable} {offerable === 1 ? 'seat is' : 'seats are'} free for offers.
          </Dialog.Description>
          <form className="form" onSubmit={submit} noValidate>
            <NumberField
              label="People"
              value={count}
              min={1}
              max={most}
              autoFocus
              onChange={(value) => {
                setCount(value);
                setServerError(null);
              }}
              hint={`From 1 to ${most}, in line order (VIP, then Premium, then Standard).`}
              error={shown}
            />
            <div className="form-actions">
              <Dialog.Close asChild>
                <Button>Cancel</Button>
              </Dialog.Close>
              <Button type="submit" variant="primary" disabled={loading || Boolean(error)}>
                {loading ? 'Sending…' : `Send ${error ? '' : `${Number(count)} `}${Number(count) === 1 ? 'offer' : 'offers'}`}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
