import { useMutation, useQuery } from '@apollo/client/react';
import { useParams } from 'react-router';
import { ShopMyPurchasesDocument, ShopOffersDocument, ShopPurchaseOfferDocument, type PurchaseStatus } from '../../generated/graphql';
import { TopBar } from '../../app/TopBar';
import { MoneyText } from '../../components/MoneyText';
import { Badge, Card, PageHeader } from '../../components/ui';
import { EmptyState, ErrorNotice, PageLoading } from '../../components/status';
import { useToaster } from '../../components/toast';
import { serverFieldErrors } from '../../lib/graphql-errors';
import { formatCount, formatDateTime } from '../../lib/format';
import { BuyForm } from './BuyForm';
import './shop.css';

const STATUS: Record<PurchaseStatus, { label: string; tone: 'success' | 'neutral' | 'warning' | 'danger' }> = {
  RESERVED: { label: 'Awaiting payment', tone: 'warning' },
  COMPLETED: { label: 'Paid', tone: 'success' },
  CANCELLED: { label: 'Cancelled', tone: 'neutral' },
  EXPIRED: { label: 'Expired', tone: 'neutral' },
  FAILED: { label: 'Payment failed', tone: 'danger' },
  REFUNDED: { label: 'Refunded', tone: 'neutral' },
};

/** The attendee view of one event: the offers on sale, bought with a quantity, and my purchases. */
export default function ShopPage() {
  const { eventId = '' } = useParams();
  const toaster = useToaster();
  const offers = useQuery(ShopOffersDocument, { variables: { eventId }, fetchPolicy: 'cache-and-network' });
  const purchases = useQuery(ShopMyPurchasesDocument, { variables: { eventId } });
  const [purchase] = useMutation(ShopPurchaseOfferDocument, {
    // The stock left is counted by the offers subgraph after the purchase: ask for the list again.
    refetchQueries: [{ query: ShopOffersDocument, variables: { eventId } }],
    update(cache, { data }) {
      const bought = data?.purchaseOffer.purchase;
      if (!bought) return;
      cache.updateQuery({ query: ShopMyPurchasesDocument, variables: { eventId } }, (existing) =>
        existing ? { myPurchases: [bought, ...existing.myPurchases.filter((row) => row.id !== bought.id)] } : existing,
      );
    },
  });

  const buy = async (offerId: string, title: string, quantity: number) => {
    try {
      const { data } = await purchase({ variables: { offerId, quantity } });
      const result = data?.purchaseOffer;
      if (result?.clientSecret) {
        toaster.notify({ title: `${title} × ${quantity} reserved`, description: 'Complete the payment to keep it.' });
      } else if (result) {
        toaster.notify({ title: `Bought ${title} × ${quantity}`, description: `Total ${result.purchase.total.formatted}` });
      }
      return {};
    } catch (failure) {
      const { fields, other } = serverFieldErrors(failure);
      return { quantity: fields.quantity, other: other.join(' ') || undefined };
    }
  };

  const list = offers.data?.activeOffers ?? [];
  const mine = purchases.data?.myPurchases ?? [];
  return (
    <div className="shell">
      <TopBar title="Event offers" />
      <main className="content" id="main">
        <PageHeader title="Offers" description="Upgrades, merchandise and services on sale at this event." />
        {offers.error && <ErrorNotice title="Could not load the offers">{offers.error.message}</ErrorNotice>}
        {offers.loading && !offers.data ? (
          <PageLoading />
        ) : list.length === 0 ? (
          !offers.error && <EmptyState title="Nothing on sale right now">Come back later during the event.</EmptyState>
        ) : (
          <ul className="shop-grid">
            {list.map((offer) => (
              <li key={offer.id}>
                <Card title={offer.title} className="shop-offer">
                  {offer.imageUrl && <img className="shop-image" src={offer.imageUrl} alt="" loading="lazy" />}
                  {offer.description && <p className="muted shop-description">{offer.description}</p>}
                  <p className="shop-price">
                    <MoneyText money={offer.price} />
                    {offer.originalPrice && (
                      <s className="strike" aria-label={`was ${offer.originalPrice.formatted}`}>
                        {offer.originalPrice.formatted}
                      </s>
                    )}
                    <span className="cell-sub">
                      {offer.inventory.available === null || offer.inventory.available === undefined
                        ? 'Available'
                        : offer.inventory.available === 0
                          ? 'Sold out'
                          : `${formatCount(offer.inventory.available)} left`}
                    </span>
                  </p>
                  <BuyForm offerTitle={offer.title} available={offer.inventory.available} onBuy={(quantity) => buy(offer.id, offer.title, quantity)} />
                </Card>
              </li>
            ))}
          </ul>
        )}
        <Card title="My purchases" className="shop-purchases">
          {purchases.error && <ErrorNotice title="Could not load your purchases">{purchases.error.message}</ErrorNotice>}
          {purchases.loading && !purchases.data ? (
            <PageLoading />
          ) : mine.length === 0 ? (
            !purchases.error && <p className="muted">You have not bought anything at this event yet.</p>
          ) : (
            <div className="table-wrap" aria-live="polite">
              <table className="responsive-table">
                <caption className="visually-hidden">My purchases</caption>
                <thead>
                  <tr>
                    <th scope="col">Offer</th>
                    <th scope="col" className="num">Quantity</th>
                    <th scope="col" className="num">Total</th>
                    <th scope="col">Status</th>
                    <th scope="col">Bought</th>
                  </tr>
                </thead>
                <tbody>
                  {mine.map((row) => (
                    <tr key={row.id}>
                      <td className="cell-main">
                        <div className="cell-title">{row.offer?.title ?? 'Offer no longer listed'}</div>
                      </td>
                      <td className="num" data-label="Quantity">
                        {formatCount(row.quantity)}
                      </td>
                      <td className="num" data-label="Total">
                        <MoneyText money={row.total} />
                      </td>
                      <td data-label="Status">
                        <Badge tone={STATUS[row.status].tone}>{STATUS[row.status].label}</Badge>
                      </td>
                      <td data-label="Bought">{formatDateTime(row.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </main>
    </div>
  );
}
