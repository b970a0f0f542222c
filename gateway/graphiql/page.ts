import type { ExampleTab } from './examples';

export interface GraphiqlPageOptions {
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
 * GraphiQL's built page (web/graphiql.html, bundled by Vite with the dashboard) with this gateway's
 * settings written in: the page reads them from the `graphiql-config` element (web/src/graphiql/main.tsx).
 */
export function renderGraphiqlPage(builtHtml: string, options: GraphiqlPageOptions): string {
  const config = { endpoint: options.endpoint, headers: options.headers, tabs: options.tabs.map((tab) => ({ ...tab, headers: options.headers })) };
  const element = `<script id="graphiql-config" type="application/json">${scriptJson(config)}</script>`;
  return builtHtml.replace('</head>', () => `${element}\n</head>`);
}
