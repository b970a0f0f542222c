import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createClient } from 'graphql-ws';
import { createRoot } from 'react-dom/client';

/** What the gateway writes into the page (gateway/graphiql/page.ts). */
interface GraphiqlConfig {
  endpoint: string;
  headers: string;
  tabs: { query: string; variables?: string; headers?: string }[];
}

const config = JSON.parse(document.getElementById('graphiql-config')?.textContent ?? 'null') as GraphiqlConfig | null;
const root = document.getElementById('graphiql')!;

if (!config) {
  root.textContent = 'GraphiQL is served by the gateway on GET /graphql in development.';
} else {
  // The header editor's token also authorizes the socket: it goes into connection_init when it opens.
  let headers = config.headers;
  const authorization = () => {
    try {
      const value = (JSON.parse(headers || '{}') as { authorization?: unknown }).authorization;
      return typeof value === 'string' ? { authorization: value } : {};
    } catch {
      return {};
    }
  };
  const socketUrl = new URL(config.endpoint, window.location.href);
  socketUrl.protocol = socketUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const wsClient = createClient({ url: socketUrl.href, lazy: true, connectionParams: authorization });
  const fetcher = createGraphiQLFetcher({ url: config.endpoint, wsClient });
  createRoot(root).render(
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={config.tabs}
      defaultHeaders={config.headers}
      defaultEditorToolsVisibility
      onEditHeaders={(value) => {
        headers = value;
      }}
    />,
  );
}
