import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { applyMiddleware } from 'graphql-middleware';
import { deny as denyRule, shield } from 'graphql-shield';
import { GATEWAY_IDENTITY_HEADER, readGatewayIdentity, type Identity } from '../auth/identity';
import { forbidden, maskingFormatError } from '../errors';
import { liveHubOf, withLiveHub } from '../live/hub';
import { serveSubgraphSubscriptions, type SubgraphSubscriptionServer } from '../live/subgraph-ws';
import { EventAccess } from '../platform/access';
import type { Runtime } from '../runtime';
import type { SubgraphContext } from './context';
import type { SubgraphDefinition } from './definition';

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Builds the executable schema: the subgraph SDL and resolvers, guarded by graphql-shield, deny by default. */
export function buildGuardedSchema(definition: SubgraphDefinition<any>) {
  const schema = buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: definition.resolvers as never }]);
  const permissions = shield(definition.permissions, {
    fallbackRule: denyRule,
    fallbackError: forbidden(),
    // Resolver errors (BAD_USER_INPUT, CONFLICT, ...) must reach the client as they are; unexpected
    // ones are masked by formatError instead of by shield.
    allowExternalErrors: true,
    debug: false,
  });
  return applyMiddleware(schema, permissions);
}

/** Starts one subgraph on its own HTTP server; the returned handle closes it. */
export async function startSubgraph(
  definition: SubgraphDefinition<any>,
  runtime: Runtime,
  listen: { host: string; port: number },
): Promise<RunningSubgraph> {
  const logger = runtime.logger.child({ subgraph: definition.name });
  const app = express();
  const httpServer = http.createServer(app);
  const schema = buildGuardedSchema(definition);
  const formatError = maskingFormatError(logger);
  const createContext = (identity: Identity | null, fromGateway: boolean): SubgraphContext => {
    const em = runtime.orm.em.fork();
    const access = new EventAccess(em, identity);
    return { identity, fromGateway, em, access, loaders: definition.createLoaders(em, access, identity), logger };
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
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: runtime.config.env !== 'production',
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      { serverWillStart: async () => ({ drainServer: async () => subscriptions?.dispose() }) },
    ],
    // One shutdown path: the runtime's Shutdown stops the server, not Apollo's own signal handler.
    stopOnTerminationSignals: false,
    logger,
  });
  await server.start();

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', subgraph: definition.name });
  });
  definition.addRoutes?.(app, runtime);
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const proof = await readGatewayIdentity(req.header(GATEWAY_IDENTITY_HEADER), runtime.config.auth.subgraphSecret);
        return createContext(proof.identity, proof.fromGateway);
      },
    }),
  );

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
    close: async () => {
      await server.stop();
    },
  };
}
