import { useState } from 'react';
import { Toast } from 'radix-ui';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Card } from '../../components/ui';
import { EmptyState, ErrorNotice, PageLoading } from '../../components/status';
import { useToaster } from '../../components/toast';
import {
  WaitlistPageDocument,
  WaitlistSetTierDocument,
  type PriorityTier,
  type WaitlistCapacityFragment,
  type WaitlistRowFragment,
} from '../../generated/graphql';
import { RemoveFromWaitlistDocument, SendWaitlistOfferDocument } from '../../generated/contract';
import type { SocketState } from '../../app/apollo';
import { BulkSendDialog } from './BulkSendDialog';
import { CapacityCard } from './CapacityCard';
import { serverProblem } from './errors';
import { summaryText } from './live-changes';
import { clampPage, PAGE_SIZE, showingText } from './pagination';
import { Pagination } from './Pagination';
import { useWaitlistLive } from './useWaitlistLive';
import { personName, WaitlistTable, type RowActions } from './WaitlistTable';
import { TIER_LABEL } from './badges';

interface Props {
  sessionId: string;
  sessionTitle: string;
  page: number;
  search: string;
  onPage(page: number): void;
}

/** One session's waitlist: seats, the page of entries, paging, the row actions and live updates. */
export function SessionWaitlist({ sessionId, sessionTitle, page, search, onPage }: Props) {
  const client = useApolloClient();
  const toaster = useToaster();
  const variables = { sessionId, page, first: PAGE_SIZE, search: search || null };
  const query = useQuery(WaitlistPageDocument, {
    variables,
    // A page seen before shows at once and is read again; live totals written into the cache
    // afterwards must not send anything.
    fetchPolicy: 'cache-and-network',
    nextFetchPolicy: 'cache-first',
  });
  const live = useWaitlistLive(variables, () => query.refetch());
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const data = query.data ?? query.previousData;

  const [sendOffer] = useMutation(SendWaitlistOfferDocument);
  const [removeEntry] = useMutation(RemoveFromWaitlistDocument);
  const [setTier] = useMutation(WaitlistSetTierDocument);

  const withBusy = async (entry: WaitlistRowFragment, work: () => Promise<unknown>, failure: string) => {
    setBusy((current) => new Set(current).add(entry.id));
    try {
      await work();
    } catch (error) {
      toaster.notify({ tone: 'error', title: failure, description: serverProblem(error).message });
    } finally {
      setBusy((current) => {
        const next = new Set(current);
        next.delete(entry.id);
        return next;
      });
    }
  };
  // Changes made here reach the page like anyone else's, through the live message; only with the
  // socket down does the page ask for itself.
  const refreshUnlessLive = () => {
    if (live.socket !== 'connected') live.requestRefresh();
  };

  const actions: RowActions = {
    busy,
    canOffer: (data?.sessionCapacity.offerable ?? 0) > 0,
    sendOffer: (entry) =>
      withBusy(entry, async () => {
        await sendOffer({ variables: { entryId: entry.id } });
        refreshUnlessLive();
      }, `The offer to ${personName(entry)} was not sent.`),
    remove: (entry) =>
      withBusy(entry, async () => {
        await removeEntry({ variables: { entryId: entry.id } });
        client.cache.evict({ id: client.cache.identify({ __typename: 'WaitlistEntry', id: entry.id }) });
        client.cache.gc();
        toaster.notify({ title: `${personName(entry)} was removed from the waitlist.` });
        refreshUnlessLive();
      }, `${personName(entry)} was not removed.`),
    setTier: (entry, tier: PriorityTier | null) =>
      withBusy(entry, async () => {
        await setTier({ variables: { sessionId, userId: entry.user.id, tier } });
        toaster.notify({ title: tier ? `${personName(entry)} is now ${TIER_LABEL[tier]}.` : `${personName(entry)} has their ticket's tier again.` });
        // A tier moves the person in the line; no live message says where, so the page is read again.
        live.requestRefresh();
      }, `The tier of ${personName(entry)} was not changed.`),
  };
  const capacityChanged = (capacity: WaitlistCapacityFragment) => {
    const current = client.cache.readQuery({ query: WaitlistPageDocument, variables });
    if (current) client.cache.writeQuery({ query: WaitlistPageDocument, variables, data: { ...current, sessionCapacity: capacity } });
    refreshUnlessLive();
  };

  if (!data) {
    if (query.error) return <ErrorNotice title="The waitlist could not be loaded.">{serverProblem(query.error).message}</ErrorNotice>;
    return <PageLoading label="Loading the waitlist…" />;
  }
  const list = data.sessionWaitlist;
  const rows = list.edges.map((edge) => edge.node);
  const pageCount = list.pageCount;
  const showing = showingText({ offset: list.offset, shown: rows.length, total: list.totalCount });
  const goTo = (next: number) => onPage(clampPage(next, pageCount));

  return (
    <div className="wl-layout">
      <CapacityCard capacity={data.sessionCapacity} onChanged={capacityChanged} />
      <Card
        className="wl-list"
        title={
          <span className="wl-list-title">
            People waiting <LiveStatus socket={live.socket} />
          </span>
        }
        actions={<BulkSendDialog sessionId={sessionId} offerable={data.sessionCapacity.offerable} waiting={data.sessionCapacity.waiting} />}
      >
        {query.error && <ErrorNotice title="The latest page could not be loaded; this one may be out of date.">{serverProblem(query.error).message}</ErrorNotice>}
        <p className="wl-showing" id={`showing-${sessionId}`}>
          {showing}
          {search && (
            <>
              {' '}
              matching <q>{search}</q>
            </>
          )}
        </p>
        {rows.length === 0 ? (
          <EmptyState title={search ? `Nobody matches “${search}”.` : 'Nobody is waiting for this session.'}>
            {search ? <p>Search looks at names and email addresses.</p> : <p>People who join appear here as they do.</p>}
          </EmptyState>
        ) : (
          <WaitlistTable rows={rows} caption={`Waitlist of ${sessionTitle}`} actions={actions} busy={query.loading} />
        )}
        <footer className="wl-footer">
          <Pagination page={list.page} pageCount={pageCount} onPage={goTo} disabled={query.loading && !query.data} />
        </footer>
      </Card>
      {live.toast && (
        <Toast.Root key={live.toast.id} className="toast" onOpenChange={(open) => !open && live.toastClosed(live.toast!.id)}>
          <Toast.Title className="toast-title">{summaryText(live.toast.changes)}</Toast.Title>
          <Toast.Close className="toast-close" aria-label="Dismiss">
            ×
          </Toast.Close>
        </Toast.Root>
      )}
    </div>
  );
}

/** Whether live updates flow; while the socket is down the page says so, and catches up when it is back. */
function LiveStatus({ socket }: { socket: SocketState }) {
  return (
    <span className={`wl-live wl-live-${socket}`} role="status">
      <span className="wl-live-dot" aria-hidden="true" />
      {socket === 'connected' ? 'Live' : socket === 'reconnecting' ? 'Reconnecting…' : 'Connecting…'}
    </span>
  );
}
