import { createContext, useContext, useSyncExternalStore } from 'react';
import type { DashboardClient, SocketState } from './apollo';

export const DashboardClientContext = createContext<DashboardClient | null>(null);

/** The signed-in session's client (Apollo and the graphql-ws socket). */
export function useDashboardClient(): DashboardClient {
  const client = useContext(DashboardClientContext);
  if (!client) throw new Error('useDashboardClient outside a signed-in route');
  return client;
}

/** The subscription socket's state, for a "Reconnecting…" indicator. */
export function useSocketState(): SocketState {
  const client = useDashboardClient();
  return useSyncExternalStore(client.onSocketState, client.socketState);
}
