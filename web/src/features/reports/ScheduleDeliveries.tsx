import { useEffect } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  DashboardReportDeliveriesDocument,
  DashboardRetryReportDeliveryDocument,
  type ReportDeliveryRowFragment,
  type ReportDeliveryStatus,
} from '../../generated/graphql';
import { Badge, Button } from '../../components/ui';
import { ErrorNotice } from '../../components/status';
import { useToaster } from '../../components/toast';
import { formatDateTime } from '../../lib/format';
import { formatPeriod } from './schedule-text';

/** How many deliveries a schedule shows (the API keeps them all, latest period first). */
export const DELIVERIES_SHOWN = 10;
/** While a delivery is being built or waits in the outbox, its status is asked again this often. */
const IN_FLIGHT_POLL_MS = 3000;

const STATUS: Record<ReportDeliveryStatus, { label: string; tone: 'success' | 'neutral' | 'warning' | 'danger' }> = {
  PENDING: { label: 'Pending', tone: 'warning' },
  QUEUED: { label: 'Queued', tone: 'neutral' },
  SENT: { label: 'Sent', tone: 'success' },
  FAILED: { label: 'Failed', tone: 'danger' },
};

export const deliveriesQuery = (scheduleId: string) => ({ query: DashboardReportDeliveriesDocument, variables: { scheduleId, first: DELIVERIES_SHOWN } });

function details(delivery: ReportDeliveryRowFragment) {
  if (delivery.status === 'FAILED') return <span className="delivery-failure">{delivery.failureReason ?? 'No reason was recorded.'}</span>;
  if (delivery.status === 'SENT') return <span className="cell-sub">{delivery.filename ?? 'Report'}</span>;
  if (delivery.status === 'QUEUED') return <span className="cell-sub">Handing it to the email service…</span>;
  return <span className="cell-sub">Waiting to be built…</span>;
}

/** A schedule's recent deliveries: period, status as text, attempts, why one failed, and Retry. */
export function ScheduleDeliveries({ scheduleId, label }: { scheduleId: string; label: string }) {
  const toaster = useToaster();
  const { data, error, startPolling, stopPolling } = useQuery(DashboardReportDeliveriesDocument, {
    ...deliveriesQuery(scheduleId),
    notifyOnNetworkStatusChange: false,
  });
  const [retry, { loading: retrying }] = useMutation(DashboardRetryReportDeliveryDocument);
  const deliveries = data?.reportDeliveries ?? [];
  const inFlight = deliveries.some((delivery) => delivery.status === 'PENDING' || delivery.status === 'QUEUED');

  useEffect(() => {
    if (!inFlight) return;
    startPolling(IN_FLIGHT_POLL_MS);
    return () => stopPolling();
  }, [inFlight, startPolling, stopPolling]);

  const retryDelivery = async (delivery: ReportDeliveryRowFragment) => {
    try {
      const { data: retried } = await retry({ variables: { deliveryId: delivery.id } });
      const status = retried?.retryReportDelivery?.status;
      toaster.notify({
        title: status === 'FAILED' ? 'The report failed again' : 'The report was sent again',
        description: status === 'FAILED' ? retried?.retryReportDelivery?.failureReason ?? undefined : undefined,
        tone: status === 'FAILED' ? 'error' : 'info',
      });
    } catch (failure) {
      toaster.notify({ title: 'Could not retry the report', description: failure instanceof Error ? failure.message : String(failure), tone: 'error' });
    }
  };

  return (
    <div className="deliveries">
      <h4 className="deliveries-title">Deliveries</h4>
      {error && <ErrorNotice title="Could not load the deliveries">{error.message}</ErrorNotice>}
      {data && deliveries.length === 0 && <p className="muted deliveries-empty">None yet. Use “Send now” to send the latest period’s report.</p>}
      {deliveries.length > 0 && (
        <div className="table-wrap" aria-live="polite">
          <table className="responsive-table">
            <caption className="visually-hidden">Deliveries of {label}</caption>
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">Attempts</th>
                <th scope="col">Details</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <tr key={delivery.id}>
                  <td className="cell-main">
                    <div className="cell-title">{formatPeriod(delivery.period)}</div>
                    <div className="cell-sub">{`${delivery.trigger === 'MANUAL' ? 'On request' : 'On schedule'} · ${formatDateTime(delivery.sentAt ?? delivery.createdAt)}`}</div>
                  </td>
                  <td data-label="Status">
                    <Badge tone={STATUS[delivery.status].tone}>{STATUS[delivery.status].label}</Badge>
                  </td>
                  <td className="num" data-label="Attempts">
                    {delivery.attempts}
                  </td>
                  <td data-label="Details" className="delivery-details">
                    {details(delivery)}
                  </td>
                  <td className="num">
                    {delivery.status === 'FAILED' && (
                      <Button disabled={retrying} onClick={() => void retryDelivery(delivery)} aria-label={`Retry the report for ${formatPeriod(delivery.period)}`}>
                        Retry
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {deliveries.length === DELIVERIES_SHOWN && <p className="field-hint">The latest {DELIVERIES_SHOWN} deliveries.</p>}
        </div>
      )}
    </div>
  );
}
