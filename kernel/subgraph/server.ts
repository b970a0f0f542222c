import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import { allow, deny as denyRule, type IRules } from 'graphql-shield';
import { GATEWAY_IDENTITY_HEADER, readGatewayIdentity, type Identity } from '../auth/identity';
import { forbidden, maskingFormatError } from '../errors';
import { GATEWAY_ONLY_BODY, jsonErrorHandler } from '../http-errors';
import { liveHubOf, withLiveHub } from '../live/hub';
import { serveSubgraphSubscriptions, type SubgraphSubscriptionServer } from '../live/subgraph-ws';
import { EventAccess } from '../platform/access';
import { ACCESS_GRANT_HEADER, readAccessGrants } from '../platform/access-grant';
import { RateLimiter } from '../rate-limit';
import type { Runtime } from '../runtime';
import type { SubgraphContext } from './context';
import type { SubgraphDefinition } from './definition';
import { accessGrantPlugin } from './access-grant-plugin';
import { compiledExecution } from './compiled-execution';
import { guardSchema } from './guard';
import { graphqlPostHandler } from './graphql-post';
import { subgraphMetricsPlugin } from './metrics';
import { traceRequests } from '../observability/trace-context';

/** The largest GraphQL request body a subgraph reads (1 MB), on either path. */
const GRAPHQL_BODY_LIMIT_BYTES = 1024 * 1024;

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  /** GraphQL requests received so far (tests count the calls a gateway makes). */
  requestCount(): number;
  /** The services from the definition's `createServices`, if any. */
  services: unknown;
  /** From now on `/health/ready` answers 503 and responses ask clients to close their connections. */
  startDraining(): void;
  dispose(): Promise<void>;
}

/** Builds the executable schema: the subgraph SDL and resolvers, guarded by graphql-shield, deny by default. */
export function buildGuardedSchema(definition: SubgraphDefinition<any, any>) {
  const schema = buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: definition.resolvers as never }]);
  return guardSchema(schema, withFederationRules(definition.permissions, schema), {
    fallbackRule: denyRule,
    fallbackError: forbidden(),
    // Resolver errors (BAD_USER_INPUT, CONFLICT, ...) must reach the client as they are; unexpected
    // ones are masked by formatError instead of by shield.
    allowExternalErrors: true,
  });
}

/**
 * The federation fields every subgraph serves to the gateway: `_service` (its SDL) and `_entities`
 * (references), whose entity types keep their own type-level rules.
 */
function withFederationRules(rules: IRules, schema: GraphQLSchema): IRules {
  const query = ((rules as Record<string, unknown>).Query ?? {}) as Record<string, unknown>;
  const hasEntities = Boolean(schema.getQueryType()?.getFields()._entities);
  return {
    ...rules,
    Query: { _service: allow, ...(hasEntities ? { _entities: allow } : {}), ...query },
    _Service: allow,
  } as IRules;
}

/** Starts one subgraph on its own HTTP server; the returned handle closes it. */
export async function startSubgraph(
  definition: SubgraphDefinition<any, any, any>,
  runtime: Runtime,
  listen: { host: string; port: number },
  /** Built by the caller when its workers share them; otherwise built here. */
  services: unknown = definition.createServices?.(runtime),
): Promise<RunningSubgraph> {
  const logger = runtime.logger.child({ subgraph: definition.name });
  const app = express();
  // Express hashes every response body for an ETag; no client of a subgraph revalidates a POST.
  app.set('etag', false);
  app.disable('x-powered-by');
  // POST /graphql with a JSON body skips Express (graphql-post.ts); everything else goes through it.
  let graphqlPost: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
  const httpServer = http.createServer((req, res) => {
    if (!graphqlPost?.(req, res)) app(req, res);
  });
  // The gateway reuses connections for up to its agent's 5 s idle timeout; were the server to close
  // them at the same moment (Node's default is also 5 s), a request sent on a closing connection
  // would fail. The server keeps idle connections longer than any client does.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  const schema = buildGuardedSchema(definition);
  const formatError = maskingFormatError(logger);
  const rateLimiter = new RateLimiter(runtime.redis, logger, runtime.config.rateLimits);
  const createContext = (identity: Identity | null, fromGateway: boolean, clientAddress: string | null = null, accessGrants?: string): SubgraphContext => {
    const em = runtime.orm.em.fork();
    const access = new EventAccess(em, identity);
    if (identity && accessGrants) access.prime(readAccessGrants(runtime.config.auth.subgraphSecret, accessGrants, identity.userId));
    const loaders = definition.createLoaders(em, access, identity, services);
    const requestServices = definition.createRequestServices?.(em, access, identity, services);
    return { identity, fromGateway, clientAddress, em, access, loaders, services, requestServices, logger, rateLimiter };
  };
  // A schema with Subscription fields is also served over graphql-ws on the same path.
  let subscriptions: SubgraphSubscriptionServer | undefined;
  if (schema.getSubscriptionType()) {
    const hub = await liveHubOf(runtime);
    subscriptions = serveSubgraphSubscriptions({
      httpServer,
      schema,
      subgraphSecret: runtime.config.auth.subgraphSecret,
      createContext: (identity) => withLiveHub(createContext(identity, true), hub),
      formatError,
      logger,
      maxPayloadBytes: runtime.config.subscriptions.maxPayloadBytes,
      keepAliveMs: runtime.config.subscriptions.keepAliveMs,
    });
  }
  const server = new ApolloServer<SubgraphContext>({
    gateway: compiledExecution<SubgraphContext>(schema),
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: runtime.config.env !== 'production',
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      subgraphMetricsPlugin(definition.name),
      accessGrantPlugin(runtime.config.auth.subgraphSecret),
      // Cache control's `willResolveField` made Apollo Server wrap every field of every request for
      // hints no subgraph sets (issue 19); with no hints its answer was always `no-store`, said here.
      ApolloServerPluginCacheControlDisabled(),
      { requestDidStart: async () => ({ willSendResponse: async ({ response }) => void response.http.headers.set('cache-control', 'no-store') }) },
      { serverWillStart: async () => ({ drainServer: async () => subscriptions?.dispose() }) },
    ],
    // One shutdown path: the runtime's Shutdown stops the server, not Apollo's own signal handler.
    stopOnTerminationSignals: false,
    // A bad variable must reach the client as BAD_USER_INPUT: @apollo/gateway turns a subgraph's
    // HTTP 400 into an internal error.
    status400ForVariableCoercionErrors: false,
    logger,
  });
  await server.start();

  // Set on shutdown: keep serving for a moment, but tell load balancers and keep-alive clients to go.
  let draining = false;
  app.use((_req, res, next) => {
    if (draining) res.setHeader('connection', 'close');
    next();
  });
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', subgraph: definition.name });
  });
  // Ready while serving: PostgreSQL, Redis and Kafka are shared by every replica, so failing readiness
  // on them would take all replicas out of service at once instead of answering degraded.
  app.get('/health/ready', (_req, res) => {
    res.status(draining ? 503 : 200).json({ status: draining ? 'draining' : 'ready', subgraph: definition.name });
  });
  definition.addRoutes?.(app, runtime, services);
  let requests = 0;
  graphqlPost = graphqlPostHandler({
    server,
    subgraphSecret: runtime.config.auth.subgraphSecret,
    limitBytes: GRAPHQL_BODY_LIMIT_BYTES,
    createContext: (identity, clientAddress, accessGrants) => createContext(identity, true, clientAddress, accessGrants),
    onRequest: () => {
      requests += 1;
    },
    draining: () => draining,
  });
  app.use(
    '/graphql',
    (_req, _res, next) => {
      requests += 1;
      next();
    },
    // Sealed: only the gateway may call a subgraph, `_service` and `_entities` included.
    async (req, res, next) => {
      const proof = await readGatewayIdentity(req.header(GATEWAY_IDENTITY_HEADER), runtime.config.auth.subgraphSecret);
      if (!proof.fromGateway) {
        res.status(401).json(GATEWAY_ONLY_BODY);
        return;
      }
      res.locals.identity = proof.identity;
      res.locals.clientAddress = proof.clientAddress;
      res.locals.accessGrants = req.header(ACCESS_GRANT_HEADER);
      next();
    },
    express.json({ limit: GRAPHQL_BODY_LIMIT_BYTES }),
    traceRequests('/graphql', { 'graphql.subgraph': definition.name }),
    expressMiddleware(server, {
      context: async ({ res }) =>
        createContext(
          (res.locals.identity ?? null) as Identity | null,
          true,
          (res.locals.clientAddress ?? null) as string | null,
          res.locals.accessGrants as string | undefined,
        ),
    }),
  );

  // Every route (the Stripe webhook's raw body included) answers its failures as JSON, never a stack.
  app.use(jsonErrorHandler);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(listen.port, listen.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = listen.host === '0.0.0.0' ? '127.0.0.1' : listen.host;
  const url = `http://${host}:${port}/graphql`;
  logger.info({ url }, 'subgraph listening');
  return {
    name: definition.name,
    url,
    port,
    requestCount: () => requests,
    services,
    startDraining: () => {
      draining = true;
    },
    dispose: async () => {
      await server.stop();
    },
  };
}
