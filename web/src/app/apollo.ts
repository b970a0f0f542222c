import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';

/** Whether the subscription socket is up; the waitlist page shows "Reconnecting…" while it is not. */
export type SocketState = 'connecting' | 'connected' | 'reconnecting';

export interface DashboardClient {
  apollo: ApolloClient;
  ws: Client;
  socketState(): SocketState;
  /** Calls `listener` on every change of the socket's state; returns the unsubscribe. */
  onSocketState(listener: (state: SocketState) => void): () => void;
  dispose(): void;
}

/**
 * One Apollo Client per signed-in session, on the same origin as the page: queries and mutations
 * over HTTP, subscriptions over graphql-ws on the same `/graphql` path, both with the bearer token.
 */
export function createDashboardClient(token: string): DashboardClient {
  const listeners = new Set<(state: SocketState) => void>();
  let state: SocketState = 'connecting';
  const setState = (next: SocketState) => {
    state = next;
    for (const listener of listeners) listener(next);
  };
  const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
  const ws = createClient({
    url: wsUrl,
    lazy: true,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    connectionParams: { authorization: `Bearer ${token}` },
    on: {
      connected: () => setState('connected'),
      closed: () => {
        if (state === 'connected') setState('reconnecting');
      },
    },
  });
  const http = new HttpLink({ uri: '/graphql', headers: { authorization: `Bearer ${token}` } });
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    new GraphQLWsLink(ws),
    http,
  );
  const apollo = new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        // Money and stock have no id of their own: they belong to the object that holds them.
        Money: { keyFields: false },
        OfferInventory: { keyFields: false, merge: true },
      },
    }),
  });
  return {
    apollo,
    ws,
    socketState: () => state,
    onSocketState(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    dispose() {
      void ws.dispose();
      apollo.stop();
    },
  };
}
