import type { ExampleTab } from './examples';

export interface GraphiqlPageOptions {
  /** Where the page's scripts and stylesheet are served (see assets.ts). */
  assetsPath: string;
  /** The GraphQL endpoint, for HTTP and graphql-ws alike. */
  endpoint: string;
  /** Prefilled request headers (a demo token), as JSON text for GraphiQL's header editor. */
  headers: string;
  tabs: ExampleTab[];
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * GraphiQL on the gateway's own path: queries and mutations over HTTP, subscriptions over graphql-ws
 * (the token of the header editor goes into `connection_init` when the socket opens).
 */
export function renderGraphiqlPage(options: GraphiqlPageOptions): string {
  const asset = (name: string) => `${options.assetsPath}/${name}`;
  const config = { endpoint: options.endpoint, headers: options.headers, tabs: options.tabs.map((tab) => ({ ...tab, headers: options.headers })) };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · monetization supergraph</title>
<link rel="stylesheet" href="${asset('graphiql.css')}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${asset('react.js')}"></script>
<script src="${asset('react-dom.js')}"></script>
<script src="${asset('graphiql.js')}"></script>
<script src="${asset('graphql-ws.js')}"></script>
<script id="graphiql-config" type="application/json">${scriptJson(config)}</script>
<script>
  const config = JSON.parse(document.getElementById('graphiql-config').textContent);
  let headers = config.headers;
  const authorization = () => {
    try {
      const value = JSON.parse(headers || '{}').authorization;
      return typeof value === 'string' ? { authorization: value } : {};
    } catch {
      return {};
    }
  };
  const socketUrl = new URL(config.endpoint, window.location.href);
  socketUrl.protocol = socketUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const wsClient = graphqlWs.createClient({ url: socketUrl.href, lazy: true, connectionParams: authorization });
  const fetcher = GraphiQL.createFetcher({ url: config.endpoint, wsClient });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultTabs: config.tabs,
      defaultHeaders: config.headers,
      defaultEditorToolsVisibility: true,
      onEditHeaders: (value) => { headers = value; },
    }),
  );
</script>
</body>
</html>
`;
}
