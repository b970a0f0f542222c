import { useEffect, useRef, useState } from 'react';
import { useApolloClient, useSubscription } from '@apollo/client/react';
import { useSocketState } from '../../app/dashboard-client';
import type { SocketState } from '../../app/apollo';
import {
  WaitlistLiveDocument,
  WaitlistPageDocument,
  type WaitlistLiveSubscription,
  type WaitlistPageQuery,
  type WaitlistPageQueryVariables,
} from '../../generated/graphql';
import { countsOf, pageShifts } from './live-changes';
import { pageCountOf } from './pagination';
import { SummaryToastThrottle, Throttle, type SummaryToast } from './throttle';

type Update = WaitlistLiveSubscription['waitlistUpdated'];

/** The page's query data with the totals a live message carries: no request, the rows stay. */
export function withLiveTotals(data: WaitlistPageQuery, update: Update, searching: boolean): WaitlistPageQuery {
  const list = data.sessionWaitlist;
  // With a search, the message's total is the whole session's, not the search's: only seats move.
  if (searching) return { ...data, sessionCapacity: update.capacity };
  const total = update.totalWaiting;
  return {
    ...data,
    sessionCapacity: update.capacity,
    sessionWaitlist: {
      ...list,
      totalCount: total,
      pageCount: pageCountOf(total, list.pageSize),
      pageInfo: { ...list.pageInfo, hasNextPage: list.offset + list.edges.length < total },
    },
  };
}

export interface WaitlistLive {
  socket: SocketState;
  /** The summary toast to show, if any. */
  toast: SummaryToast | null;
  toastClosed(id: number): void;
  /** Asks for one re-read of the page, throttled with the live ones (at most one per 3 s). */
  requestRefresh(): void;
}

/**
 * Live updates of the waitlist page from `waitlistUpdated`: each message's totals are written into
 * the cached page (no request); the page is read again only when its rows may have moved
 * (`pageShifts`), after a reconnection (the snapshot then starts a fresh state: what happened while
 * the socket was down is unknown), or when the first snapshot disagrees with the page read just
 * before it; and never more than once per 3 s. Changes are summed into at most one toast per 3 s.
 */
export function useWaitlistLive(variables: WaitlistPageQueryVariables, refetch: () => unknown): WaitlistLive {
  const client = useApolloClient();
  const socket = useSocketState();
  const [toast, setToast] = useState<SummaryToast | null>(null);
  const toasts = useRef<SummaryToastThrottle | null>(null);
  const refresh = useRef<Throttle | null>(null);
  const latest = useRef({ variables, refetch });
  latest.current = { variables, refetch };
  const missedChanges = useRef(false);

  useEffect(() => {
    toasts.current = new SummaryToastThrottle(setToast);
    refresh.current = new Throttle(() => void latest.current.refetch());
    return () => {
      toasts.current?.dispose();
      refresh.current?.dispose();
    };
  }, [variables.sessionId]);

  useEffect(() => {
    if (socket === 'reconnecting') missedChanges.current = true;
  }, [socket]);

  useSubscription(WaitlistLiveDocument, {
    variables: { sessionId: variables.sessionId },
    ignoreResults: true,
    onData: ({ data }) => {
      const update = data.data?.waitlistUpdated;
      if (!update) return;
      const current = latest.current.variables;
      const searching = Boolean(current.search);
      const before = client.cache.readQuery({ query: WaitlistPageDocument, variables: current });
      if (before) client.cache.writeQuery({ query: WaitlistPageDocument, variables: current, data: withLiveTotals(before, update, searching) });
      if (update.snapshot) {
        const stale = before !== null && !searching && before.sessionWaitlist.totalCount !== update.totalWaiting;
        if (missedChanges.current || stale) refresh.current?.request();
        missedChanges.current = false;
        return;
      }
      toasts.current?.add(countsOf(update));
      if (!before) return;
      const list = before.sessionWaitlist;
      const shown = { offset: list.offset, shown: list.edges.length, pageSize: list.pageSize, total: list.totalCount };
      if (pageShifts(shown, update)) refresh.current?.request();
    },
  });

  return {
    socket,
    toast,
    toastClosed: (id) => toasts.current?.closed(id),
    requestRefresh: () => refresh.current?.request(),
  };
}
