import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { normalizeNodeRequest } from '@whatwg-node/server';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { GATEWAY_IDENTITY_HEADER, signGatewayIdentity, type Identity } from '../kernel/auth/identity';

/**
 * Hive Gateway for the bench, one process, one worker: the committed supergraph with its routing
 * URLs pointed at the bench's subgraphs, in-flight deduplication off, and (HIVE_PLANNER=rust) the
 * Rust query planner of @graphql-hive/router-runtime.
 *
 * Our subgraphs are sealed: they answer only requests carrying the gateway's signed identity. Hive
 * Gateway gets that token for the bench user as a static header, re-signed every 30 s (the token
 * lives 60 s). So Hive verifies no client JWT and signs nothing per request, while ours does both:
 * the comparison is slightly in Hive's favour, and says so. In the flash sale each buyer's token
 * is signed by the load generator beforehand and forwarded (`x-bench-identity`).
 *
 * Subscriptions: clients speak graphql-ws on `/graphql` (as with the Hive Gateway CLI) and pass
 * their signed token as `connectionParams["x-bench-identity"]`; Hive subscribes to the subgraph
 * over graphql-ws with that token as `connection_init` payload `x-gateway-identity` (the static
 * token when the client sends none). Hive's ws transport opens one upstream connection per
 * distinct `connectionParams`, so K distinct tokens cost K upstream sockets.
 */
const port = Number(process.env.PORT);
const urls = JSON.parse(process.env.SUBGRAPH_URLS ?? '{}') as Record<string, string>;
const identity: Identity = JSON.parse(process.env.BENCH_IDENTITY ?? 'null');
const secret = process.env.SUBGRAPH_SECRET ?? '';

let supergraph = readFileSync(path.resolve(__dirname, '../schema/supergraph.graphql'), 'utf8');
for (const [name, url] of Object.entries(urls)) {
  supergraph = supergraph.replace(new RegExp(`(@join__graph\\(name: "${name}", url: )"[^"]*"`), `$1"${url}"`);
}

async function main(): Promise<void> {
  let token = await signGatewayIdentity(identity, secret);
  setInterval(async () => {
    token = await signGatewayIdentity(identity, secret);
  }, 30_000).unref();
  type BenchContext = { request?: Request; connectionParams?: Record<string, unknown> };
  // The caller's own token: the `x-bench-identity` header over HTTP, the connection_init payload's
  // over graphql-ws (the upgrade request carries no such header), else the static one.
  const callerToken = (context: BenchContext | undefined): string => {
    const fromHeader = context?.request?.headers.get('x-bench-identity');
    const fromConnection = context?.connectionParams?.['x-bench-identity'];
    return fromHeader ?? (typeof fromConnection === 'string' ? fromConnection : token);
  };
  const sealedSubgraphs: GatewayPlugin = {
    // Read by the ws transport's `connectionParams` interpolation below.
    onContextBuilding: ({ context, extendContext }) => {
      extendContext({ benchIdentity: callerToken(context as BenchContext) } as never);
    },
    onFetch: ({ options, setOptions, context }) => {
      const headers = new Headers(options.headers as HeadersInit | undefined);
      // The flash sale needs one identity per buyer: the load generator then sends each buyer's
      // gateway-signed token, which is forwarded as is. Entity fetches of a subscription event
      // carry the token of the client's graphql-ws connection.
      headers.set(GATEWAY_IDENTITY_HEADER, callerToken(context as BenchContext | undefined));
      setOptions({ ...options, headers: Object.fromEntries(headers) });
    },
  };
  const rust = process.env.HIVE_PLANNER === 'rust';
  const gateway = createGatewayRuntime({
    supergraph,
    logging: false,
    landingPage: false,
    graphiql: false,
    transportEntries: {
      '*.http': {
        options: {
          deduplicateInflightRequests: false,
          // Subscriptions go to the subgraph's own `/graphql` over graphql-ws (ws:// of the same URL).
          subscriptions: {
            kind: 'ws',
            options: { connectionParams: { [GATEWAY_IDENTITY_HEADER]: '{context.benchIdentity}' } },
          },
        },
      },
    },
    plugins: () => [sealedSubgraphs],
    // The router runtime is typed against the ESM build of fusion-runtime, the gateway runtime here
    // against the CommonJS one: the same function, two declarations.
    ...(rust ? { unifiedGraphHandler: (await import('@graphql-hive/router-runtime')).unifiedGraphHandler as never } : {}),
  });
  const server = createServer(gateway);
  // graphql-ws on the same server and path, wired as the Hive Gateway CLI does for Node.
  const wsServer = new WebSocketServer({ server, path: gateway.graphqlEndpoint });
  const wsDisposable = useServer(
    getGraphQLWSOptions<Record<string, unknown>, Extra>(gateway, (ctx) => ({
      req: ctx.extra.request,
      socket: ctx.extra.socket,
      request: normalizeNodeRequest(ctx.extra.request, gateway.fetchAPI),
    })),
    wsServer,
  );
  server.listen(port, '127.0.0.1', () => process.send?.('ready'));
  process.on('SIGTERM', () => {
    for (const client of wsServer.clients) client.terminate();
    server.close();
    void Promise.all([wsDisposable.dispose(), gateway.dispose()]).finally(() => process.exit(0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
