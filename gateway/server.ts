import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError } from 'graphql';
import { createBearerVerifier } from '../kernel/auth/identity';
import type { Config } from '../kernel/config';
import { maskingFormatError } from '../kernel/errors';
import type { Logger } from '../kernel/logger';
import { IdentityForwardingDataSource, type GatewayContext } from './identity-data-source';
import { probeSubgraphs } from './readiness';
import { jsonErrorHandler, MAX_BODY_BYTES } from './http-errors';
import { operationLimitProtection, type OperationLimits } from './operation-limits';
import { stripeWebhookProxy } from './stripe-webhook-proxy';
import { loadManifest, trustedDocumentsMiddleware } from './trusted-documents';

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
  close(): Promise<void>;
}

/** Starts the federation gateway: GraphQL over HTTP on /graphql, health, and the Stripe webhook. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config } = options;
  const logger = options.logger.child({ component: 'gateway' });
  const routing = new Map<string, string>();
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`No URL for subgraph ${name}`);
      routing.set(name, target);
      return new IdentityForwardingDataSource(target, config.auth.subgraphSecret);
    },
    logger,
  });

  const app = express();
  const httpServer = http.createServer(app);
  const production = config.env === 'production';
  const limits = operationLimitProtection(options.limits);
  const maskError = maskingFormatError(logger);
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError: (formatted, error) => maskError(limits.hideLimit(formatted), error),
    parseOptions: limits.parseOptions,
    includeStacktraceInErrorResponses: false,
    introspection: !production,
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...limits.plugins,
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
    // One shutdown path: the process's Shutdown stops the server, not Apollo's own signal handler.
    stopOnTerminationSignals: false,
    logger,
  });
  await server.start();

  const verifyAuthorization = createBearerVerifier({ jwtSecret: config.auth.jwtSecret, jwksUrl: config.auth.jwksUrl });
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
  const offersUrl = options.subgraphUrls.offers ?? routing.get('offers');
  if (offersUrl) app.use(stripeWebhookProxy(offersUrl, logger));
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY_BYTES }),
    trustedDocumentsMiddleware(
      config.gateway.trustedDocuments,
      config.gateway.trustedDocuments === 'off' ? {} : loadManifest(),
      logger,
    ),
    expressMiddleware(server, {
      context: async ({ req }) => {
        try {
          const verified = await verifyAuthorization(req.header('authorization'));
          return { identity: verified?.identity ?? null, tokenExpiresAt: verified?.expiresAt };
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

  app.use(jsonErrorHandler);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? config.gateway.port, options.host ?? config.gateway.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/graphql`;
  logger.info({ url }, 'gateway listening');
  return {
    url,
    port,
    close: async () => {
      // A request a client already sent may still be in the socket buffer, unparsed; closing at once
      // would reset it. Serving on through a short drain lets such requests, and load balancers
      // that see /health/ready fail, catch up.
      draining = true;
      if (config.gateway.shutdownDrainMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, config.gateway.shutdownDrainMs));
      }
      await server.stop();
    },
  };
}
