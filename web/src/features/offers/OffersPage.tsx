import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import {
  DashboardCreateOfferDocument,
  DashboardOfferInventoryDocument,
  DashboardOffersDocument,
  DashboardUpdateOfferDocument,
  type OfferRowFragment,
} from '../../generated/graphql';
import { useEventId } from '../../app/EventLayout';
import { Dialog } from '../../components/Dialog';
import { MoneyText } from '../../components/MoneyText';
import { Badge, Button, Card, PageHeader } from '../../components/ui';
import { EmptyState, EventListStatus } from '../../components/status';
import { useEditDialog } from '../../lib/use-edit-dialog';
import { formatCount } from '../../lib/format';
import { OfferForm } from './OfferForm';
import { emptyOffer, toCreateInput, toUpdateInput, type OfferFormValues } from './offer-validation';

const TYPE_LABELS: Record<OfferRowFragment['type'], string> = {
  TICKET_UPGRADE: 'Ticket upgrade',
  PHYSICAL: 'Physical',
  SERVICE: 'Service',
  DIGITAL: 'Digital',
};

function status(offer: OfferRowFragment) {
  if (!offer.isActive) return <Badge tone="neutral">Inactive</Badge>;
  if (offer.inventory.available === 0) return <Badge tone="danger">Sold out</Badge>;
  return offer.onSale ? <Badge tone="success">On sale</Badge> : <Badge tone="warning">Scheduled</Badge>;
}

function formValues(offer: OfferRowFragment): OfferFormValues {
  return {
    title: offer.title,
    type: offer.type,
    description: offer.description ?? '',
    price: '',
    originalPrice: '',
    inventoryTotal: offer.inventory.total === null || offer.inventory.total === undefined ? '' : String(offer.inventory.total),
    imageUrl: offer.imageUrl ?? '',
    isActive: offer.isActive,
  };
}

/** Upsells: the event's offers with live stock, and forms to create and edit them. */
export default function OffersPage() {
  const eventId = useEventId();
  const { data, loading, error } = useQuery(DashboardOffersDocument, {
    variables: { eventId },
    errorPolicy: 'all',
    // Another page may have cached this event as null (a failed subgraph nulls it): always ask again.
    fetchPolicy: 'cache-and-network',
  });
  // Each message carries an offer's id and stock: the normalized cache updates the row, no refetch.
  useSubscription(DashboardOfferInventoryDocument, { variables: { eventId } });
  const [createOffer] = useMutation(DashboardCreateOfferDocument, {
    update(cache, { data: created }) {
      if (!created) return;
      cache.updateQuery({ query: DashboardOffersDocument, variables: { eventId } }, (existing) =>
        existing?.event ? { event: { ...existing.event, offers: [...(existing.event.offers ?? []), created.createOffer] } } : existing,
      );
    },
  });
  const [updateOffer] = useMutation(DashboardUpdateOfferDocument);
  const { editing, setEditing, close, save } = useEditDialog<OfferRowFragment, OfferFormValues>({
    create: (values) => createOffer({ variables: { input: toCreateInput(eventId, values) } }),
    update: (row, values) => updateOffer({ variables: { id: row.id, input: toUpdateInput(values) } }),
    savedTitle: (values, created) => `Offer “${values.title.trim()}” ${created ? 'created' : 'saved'}`,
  });

  const offers = data?.event?.offers ?? [];
  return (
    <>
      <PageHeader
        title="Upsells"
        description="Offers sold during the event. Stock updates live."
        actions={
          <Button variant="primary" onClick={() => setEditing('new')}>
            New offer
          </Button>
        }
      />
      <EventListStatus what="offers" data={data} error={error} loading={loading} count={offers.length} empty={<EmptyState title="No offers yet">Create one to sell upgrades, merchandise or services.</EmptyState>}>
        <Card>
          <div className="table-wrap" aria-live="polite">
            <table className="responsive-table">
              <caption className="visually-hidden">Offers</caption>
              <thead>
                <tr>
                  <th scope="col">Offer</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">Price</th>
                  <th scope="col" className="num">Sold</th>
                  <th scope="col" className="num">Reserved</th>
                  <th scope="col" className="num">Available</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {offers.map((offer) => (
                  <tr key={offer.id}>
                    <td className="cell-main">
                      <div className="cell-title">{offer.title}</div>
                      <div className="cell-sub">{TYPE_LABELS[offer.type]}</div>
                    </td>
                    <td data-label="Status">{status(offer)}</td>
                    <td className="num" data-label="Price">
                      <span className="price">
                        <MoneyText money={offer.price} />
                        {offer.originalPrice && (
                          <s className="strike" aria-label={`was ${offer.originalPrice.formatted}`}>
                            {offer.originalPrice.formatted}
                          </s>
                        )}
                      </span>
                    </td>
                    <td className="num" data-label="Sold">{formatCount(offer.inventory.sold)}</td>
                    <td className="num" data-label="Reserved">{formatCount(offer.inventory.reserved)}</td>
                    <td className="num" data-label="Available">
                      {offer.inventory.available === null || offer.inventory.available === undefined
                        ? 'Unlimited'
                        : `${formatCount(offer.inventory.available)} of ${formatCount(offer.inventory.total ?? 0)}`}
                    </td>
                    <td className="num">
                      <Button variant="ghost" onClick={() => setEditing(offer)} aria-label={`Edit ${offer.title}`}>
                        Edit
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      </EventListStatus>
      <Dialog open={editing !== null} onOpenChange={(open) => !open && close()} title={editing === 'new' ? 'New offer' : 'Edit offer'}>
        {editing && (
          <OfferForm
            initial={editing === 'new' ? emptyOffer : formValues(editing)}
            current={editing === 'new' ? undefined : { price: editing.price.formatted, originalPrice: editing.originalPrice?.formatted }}
            submitLabel={editing === 'new' ? 'Create offer' : 'Save changes'}
            onSubmit={save}
            onCancel={close}
          />
        )}
      </Dialog>
    </>
  );
}
