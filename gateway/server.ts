import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloGateway, type ServiceMap } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql';
import { createBearerVerifier } from '../kernel/auth/identity';
import type { Config } from '../kernel/config';
import { maskingFormatError } from '../kernel/errors';
import type { Logger } from '../kernel/logger';
import { IdentityForwardingDataSource, type GatewayContext } from './identity-data-source';
import { createSubgraphFetcher } from './subgraph-fetcher';
import { traceRequests } from '../kernel/observability/trace-context';
import { countPlanCacheLookups, observeSubscriptions, operationMetricsPlugin } from './metrics';
import { probeSubgraphs } from './readiness';
import { jsonErrorHandler, MAX_BODY_BYTES } from './http-errors';
import { operationLimitProtection, type OperationLimits } from './operation-limits';
import { stripeWebhookProxy } from './stripe-webhook-proxy';
import { graphiqlLandingPage } from './graphiql/landing-page';
import { getWithoutAmbientCredentials, legacyJsonStatusPlugin } from './graphql-over-http';
import { dashboardRouter } from './dashboard';
import { devSignInRouter } from './dev-sign-in';
import { demoPlatform } from '../demo/platform';
import { readSeedFile } from '../kernel/platform/seed-file';
import { loadManifest, trustedDocumentsMiddleware, trustedOperationCheck } from './trusted-documents';
import { clientAddressOf } from './client-address';
import { ConnectionCaps, type ConnectionCapStats } from './connection-caps';
import { hideSuggestions } from './hide-suggestions';
import { refuseConditionalHttpSubscriptions } from './http-subscriptions';
import { codeClientRequestErrors } from './request-error-code';
import { nameInputField } from './input-error-field';
import { NoNulCharactersRule, nulVariablesPlugin } from './rules/nul-characters';
import { SingleMutationFieldRule } from './rules/single-mutation-field';
import { SubscriptionRootDirectivesRule } from './rules/subscription-root-directives';
import { SubscriptionPlanner } from './subscriptions/planner';
import { UpstreamSubscriptions } from './subscriptions/upstream';
import { serveGatewaySubscriptions, type GatewaySubscriptionServer, type GatewaySubscriptionStats } from './subscriptions/ws-server';

export interface GatewayOptions {
  config: Config;
  logger: Logger;
  supergraphSdl: string;
  /** Routing URLs by subgraph name; subgraphs not named here keep the supergraph's URL. */
  subgraphUrls: Partial<Record<string, string>>;
  port?: number;
  host?: string;
  limits?: OperationLimits;
}

export interface RunningGateway {
  url: string;
  port: number;
  httpServer: http.Server;
  /** Open graphql-ws connections and subscriptions, here and towards the subgraphs. */
  subscriptionStats(): GatewaySubscriptionStats & {
    upstream: { connections: number; subscriptions: number };
    /** What the socket and subscription caps count (connection-caps.ts). */
    caps: ConnectionCapStats;
  };
  dispose(): Promise<void>;
}

/**
 * Starts the federation gateway: GraphQL over HTTP and graphql-ws on /graphql, health, the
 * Stripe webhook, the organizer dashboard at `/` and, outside production, its development sign-in.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger.child({ component: 'gateway' });
  const routing = new Map<string, string>();
  const dataSources: ServiceMap = {};
  const subgraphFetcher = createSubgraphFetcher({ timeoutMs: config.gateway.subgraphTimeoutMs });
  // @apollo/gateway reads this switch from the environment only, when it is constructed.
  process.env.APOLLO_TELEMETRY_DISABLED = String(!config.gateway.apolloTelemetry);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`No URL for subgraph ${name}`);
      routing.set(name, target);
      const dataSource = new IdentityForwardingDataSource(target, config.auth.subgraphSecret, subgraphFetcher.fetch, logger, name);
      dataSources[name] = dataSource;
      return dataSource;
    },
    logger,
  });
  countPlanCacheLookups(gateway);

  const app = express();
  const httpServer = http.createServer(app);
  const production = config.env === 'production';
  const limits = operationLimitProtection(options.limits ?? config.gateway.limits, options.supergraphSdl);
  const manifest = config.gateway.trustedDocuments === 'off' ? {} : loadManifest();
  const maskError = maskingFormatError(logger);
  const formatError: typeof maskError = (formatted, error) => maskError(nameInputField(hideSuggestions(codeClientRequestErrors(limits.hideLimit(formatted), error))), error);
  // Rules HTTP and graphql-ws operations both get, on top of graphql-js's own (and Apollo Server's
  // introspection switch, mirrored for graphql-ws below).
  const validationRules: ValidationRule[] = [
    ...limits.validationRules,
    SingleMutationFieldRule,
    SubscriptionRootDirectivesRule,
    NoNulCharactersRule,
  ];
  if (config.auth.subgraphSecretIsDevelopment) {
    logger.warn(
      'SUBGRAPH_SECRET is not set: subgraph identities are signed with the development secret, which is public (it is in the source). Anyone who can reach a subgraph can act as any user. Set SUBGRAPH_SECRET outside local development.',
    );
  }
  const upstream = new UpstreamSubscriptions({
    urlOf: (name) => routing.get(name),
    subgraphSecret: config.auth.subgraphSecret,
    logger,
    keepAliveMs: config.subscriptions.keepAliveMs,
  });
  let subscriptions: GatewaySubscriptionServer | undefined;
  // In development, GraphiQL from npm on GET /graphql for browsers; in production no landing page.
  const graphiql = production ? undefined : graphiqlLandingPage({ config, logger, endpoint: '/graphql', operations: loadManifest() });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    parseOptions: limits.parseOptions,
    includeStacktraceInErrorResponses: false,
    introspection: !production,
    allowBatchedHttpRequests: false,
    validationRules,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      operationMetricsPlugin(),
      nulVariablesPlugin,
      ...limits.plugins,
      legacyJsonStatusPlugin,
      graphiql ?? ApolloServerPluginLandingPageDisabled(),
      {
        serverWillStart: async () => ({
          drainServer: async () => {
            await subscriptions?.dispose();
            await upstream.dispose();
          },
        }),
      },
      {
        // @apollo/gateway cannot execute subscriptions over HTTP; say where they are served.
        requestDidStart: async () => ({
          didResolveOperation: async ({ operation, request }) => {
            // The gateway's planner would throw for a name the document lacks: an internal error, not the client's.
            if (!operation) {
              const message = request.operationName ? `Unknown operation named "${request.operationName}".` : 'Must provide operation name if query contains multiple operations.';
              throw new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
            }
            if (operation.operation !== 'subscription') return;
            throw new GraphQLError('Subscriptions are served over graphql-ws (graphql-transport-ws) on this path.', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          },
        }),
      },
    ],
    // One shutdown path: the process's Shutdown stops the server, not Apollo's own signal handler.
    stopOnTerminationSignals: false,
    logger,
  });
  await server.start();

  const planner = new SubscriptionPlanner(options.supergraphSdl);
  const verifyAuthorization = createBearerVerifier({
    jwtSecret: config.auth.jwtSecret,
    jwksUrl: config.auth.jwksUrl,
    maxLifetimeSeconds: config.auth.maxTokenLifetimeSeconds,
  });
  const clientAddress = (request: http.IncomingMessage) => clientAddressOf(request, config.trustedProxyHeader);
  const caps = new ConnectionCaps({
    socketsPerCaller: config.subscriptions.maxSocketsPerCaller,
    subscriptionsPerCaller: config.subscriptions.maxSubscriptionsPerCaller,
    sockets: config.subscriptions.maxSockets,
    subscriptions: config.subscriptions.maxSubscriptions,
  });
  subscriptions = serveGatewaySubscriptions({
    httpServer,
    path: '/graphql',
    planner,
    upstream,
    dataSources: () => dataSources,
    // A shared snapshot with no change after it is still the current state; 30 s bounds how old the
    // access decision it was sent under may be (issue 15).
    snapshotReuseMs: Math.max(config.subscriptions.windowMs, 30_000),
    logger,
    verifyAuthorization,
    validationRules: production ? [...validationRules, NoSchemaIntrospectionCustomRule] : validationRules,
    parseOptions: limits.parseOptions,
    checkOperation: limits.check,
    isTrustedOperation: trustedOperationCheck(config.gateway.trustedDocuments, manifest, logger),
    executeOperation: async (request, contextValue) => {
      const response = await server.executeOperation(
        { query: request.query, operationName: request.operationName ?? undefined, variables: request.variables },
        { contextValue },
      );
      return response.body.kind === 'single' ? response.body.singleResult : { errors: [new GraphQLError('Incremental delivery is not served over graphql-ws.')] };
    },
    formatError,
    requireAuth: config.subscriptions.requireAuth,
    connectionInitTimeoutMs: config.subscriptions.connectionInitTimeoutMs,
    keepAliveMs: config.subscriptions.keepAliveMs,
    maxPayloadBytes: config.subscriptions.maxPayloadBytes,
    maxSubscriptionsPerConnection: config.subscriptions.maxPerConnection,
    caps,
    clientAddress,
    maxEventBytes: config.subscriptions.maxEventBytes,
  });
  const stopObserving = observeSubscriptions(() => ({ ...subscriptions!.stats(), upstream: upstream.stats() }));
  const subgraphList = () => [...routing].map(([name, url]) => ({ name, url }));

  // Set on shutdown: keep serving for a moment, but tell load balancers and keep-alive clients to go.
  let draining = false;
  app.use((_req, res, next) => {
    if (draining) res.setHeader('connection', 'close');
    next();
  });
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    const subgraphs = await probeSubgraphs(subgraphList(), config.auth.subgraphSecret);
    const ready = subgraphs.length > 0 && subgraphs.every((subgraph) => subgraph.ok);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'unavailable',
      subgraphs: subgraphs.map(({ name, ok, error }) => ({ name, ok, error })),
    });
  });
  if (config.gateway.devSignIn) {
    const records = [demoPlatform, ...(config.seedFile ? [await readSeedFile(config.seedFile)] : [])];
    app.use(devSignInRouter({ jwtSecret: config.auth.jwtSecret, records }));
  }
  const offersUrl = options.subgraphUrls.offers ?? routing.get('offers');
  if (offersUrl) app.use(stripeWebhookProxy(offersUrl, logger));
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY_BYTES }),
    getWithoutAmbientCredentials,
    trustedDocumentsMiddleware(config.gateway.trustedDocuments, manifest, logger),
    refuseConditionalHttpSubscriptions(planner.schema),
    traceRequests('/graphql', { 'service.role': 'gateway' }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        try {
          const verified = await verifyAuthorization(req.header('authorization'));
          return { identity: verified?.identity ?? null, tokenExpiresAt: verified?.expiresAt, clientAddress: clientAddress(req) };
        } catch (error) {
          if (error instanceof GraphQLError) {
            throw new GraphQLError(error.message, {
              extensions: { ...error.extensions, http: { status: 401 } },
            });
          }
          throw error;
        }
      },
    }),
  );

  app.use(dashboardRouter(config.gateway.dashboardDir));
  app.use(jsonErrorHandler);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? config.gateway.port, options.host ?? config.gateway.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/graphql`;
  logger.info({ url, subscriptions: url.replace(/^http/, 'ws') }, 'gateway listening');
  return {
    url,
    port,
    httpServer,
    subscriptionStats: () => ({ ...subscriptions!.stats(), upstream: upstream.stats(), caps: caps.stats() }),
    dispose: async () => {
      // A request a client already sent may still be in the socket buffer, unparsed; closing at once
      // would reset it. Serving on through a short drain lets such requests, and load balancers
      // that see /health/ready fail, catch up.
      draining = true;
      stopObserving();
      if (config.gateway.shutdownDrainMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, config.gateway.shutdownDrainMs));
      }
      try {
        await server.stop();
      } finally {
        subgraphFetcher.dispose();
      }
    },
  };
}
