import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
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
  const sealedSubgraphs: GatewayPlugin = {
    onFetch: ({ options, setOptions, context }) => {
      const headers = new Headers(options.headers as HeadersInit | undefined);
      // The flash sale needs one identity per buyer: the load generator then sends each buyer's
      // gateway-signed token, which is forwarded as is.
      const perBuyer = (context as { request?: Request } | undefined)?.request?.headers.get('x-bench-identity');
      headers.set(GATEWAY_IDENTITY_HEADER, perBuyer ?? token);
      setOptions({ ...options, headers: Object.fromEntries(headers) });
    },
  };
  const rust = process.env.HIVE_PLANNER === 'rust';
  const gateway = createGatewayRuntime({
    supergraph,
    logging: false,
    landingPage: false,
    graphiql: false,
    transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
    plugins: () => [sealedSubgraphs],
    // The router runtime is typed against the ESM build of fusion-runtime, the gateway runtime here
    // against the CommonJS one: the same function, two declarations.
    ...(rust ? { unifiedGraphHandler: (await import('@graphql-hive/router-runtime')).unifiedGraphHandler as never } : {}),
  });
  const server = createServer(gateway);
  server.listen(port, '127.0.0.1', () => process.send?.('ready'));
  process.on('SIGTERM', () => {
    server.close();
    void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
