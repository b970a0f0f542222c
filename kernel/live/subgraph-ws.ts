import type http from 'node:http';
import { parse, validate, type ExecutionArgs, type GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { GATEWAY_IDENTITY_HEADER, readGatewayIdentity, type GatewayProof, type Identity } from '../auth/identity';
import { unauthenticated } from '../errors';
import type { Logger } from '../logger';
import { takeLiveMeta } from './live-meta';
import { logSocketErrors } from './ws-errors';

export interface SubgraphSubscriptionOptions {
  httpServer: http.Server;
  schema: GraphQLSchema;
  subgraphSecret: string;
  /** The per-operation context, built as for an HTTP request of the same caller. */
  createContext(identity: Identity | null): Promise<object> | object;
  formatError(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError;
  logger: Logger;
  maxPayloadBytes: number;
  keepAliveMs: number;
}

export interface SubgraphSubscriptionServer {
  dispose(): Promise<void>;
}

/**
 * Serves the subgraph's subscriptions over graphql-ws on the HTTP server's `/graphql` path, for
 * the gateway only: `connection_init` must carry the gateway's signed proof (as the
 * `x-gateway-identity` header does over HTTP), else the socket closes with 4403. The gateway
 * multiplexes many callers on one connection, so each subscribe message names its caller with a
 * fresh signed token in `extensions["x-gateway-identity"]`; without one, the connection's identity
 * applies.
 */
export function serveSubgraphSubscriptions(options: SubgraphSubscriptionOptions): SubgraphSubscriptionServer {
  const { schema, subgraphSecret } = options;
  const proofs = new WeakMap<object, GatewayProof>();
  const wss = new WebSocketServer({ server: options.httpServer, path: '/graphql', maxPayload: options.maxPayloadBytes });
  const formatAll = (errors: readonly GraphQLError[]) => errors.map((error) => options.formatError(error.toJSON(), error));

  const server = useServer(
    {
      onConnect: async (ctx) => {
        const token = ctx.connectionParams?.[GATEWAY_IDENTITY_HEADER] ?? ctx.extra.request.headers[GATEWAY_IDENTITY_HEADER];
        const proof = await readGatewayIdentity(typeof token === 'string' ? token : undefined, subgraphSecret);
        if (!proof.fromGateway) return false;
        proofs.set(ctx, proof);
        return true;
      },
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        let identity = proofs.get(ctx)?.identity ?? null;
        const token = payload.extensions?.[GATEWAY_IDENTITY_HEADER];
        if (token !== undefined) {
          const proof = await readGatewayIdentity(typeof token === 'string' ? token : undefined, subgraphSecret);
          if (!proof.fromGateway) return [unauthenticated('The gateway identity of this operation is invalid or expired.')];
          identity = proof.identity;
        }
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await options.createContext(identity),
        };
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        // A subscription lives for hours on one context: forget its access answers after each
        // event, so the next event is checked against who may see it then (a member removed from
        // the organization stops receiving).
        (args.contextValue as { access?: { forget(): void } }).access?.forget();
        // A snapshot feed's message tells the gateway where it stands (live-meta.ts).
        const live = takeLiveMeta(args.contextValue);
        if (!result.errors && !live) return undefined;
        return {
          ...result,
          ...(result.errors ? { errors: formatAll(result.errors) } : {}),
          ...(live ? { extensions: { ...result.extensions, live } } : {}),
        };
      },
      onError: (_ctx, _id, _payload, errors) => formatAll(errors),
    },
    wss,
    options.keepAliveMs,
  );
  logSocketErrors(wss, options.logger);
  return {
    dispose: async () => {
      await server.dispose();
    },
  };
}
