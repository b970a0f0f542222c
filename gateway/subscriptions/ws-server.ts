import type http from 'node:http';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { VerifiedToken } from '../../kernel/auth/identity';
import { logSocketErrors } from '../../kernel/live/ws-errors';
import { nulInVariables, nulVariableError } from '../rules/nul-characters';
import { refuseConditionalSubscriptionRoot } from '../rules/subscription-root-directives';
import { callerKey, TOO_MANY_SOCKETS_CLOSE, type ConnectionCaps, type SocketHoldings } from '../connection-caps';
import type { GatewayContext } from '../identity-data-source';
import { countSubscriptionMessage } from '../metrics';
import type { OperationToCheck } from '../operation-limits';
import { FederatedSubscriptions, type FederatedSubscriptionDeps } from './federated-subscription';
import type { SubscriptionPlan } from './planner';

/** A graphql-ws close code of the protocol: refused `connection_init`, or a token that expired. */
const FORBIDDEN_CLOSE = 4403;
/** setTimeout's longest delay; a token valid for longer is re-checked then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface GatewaySubscriptionOptions extends FederatedSubscriptionDeps {
  httpServer: http.Server;
  path: string;
  verifyAuthorization(header: string | undefined): Promise<VerifiedToken | null>;
  /** The validation rules HTTP operations get besides graphql-js's own, so both transports agree. */
  validationRules: readonly ValidationRule[];
  /** Parser options HTTP operations get (the token limit), so both transports agree. */
  parseOptions?: { maxTokens?: number };
  /**
   * The checks HTTP operations get once their variables are known (coercion, cost), run when a
   * subscription starts: the errors to answer, or none.
   */
  checkOperation(operation: OperationToCheck): readonly GraphQLError[] | undefined;
  /** Largest `next` message one event may produce; a larger result is replaced by an error. */
  maxEventBytes: number;
  /** The trusted-documents check HTTP operations get; false refuses the operation. */
  isTrustedOperation?(document: DocumentNode): boolean;
  /** Queries and mutations sent over the socket run through the HTTP pipeline (Apollo Server). */
  executeOperation(
    request: { query: string; operationName?: string | null; variables?: Record<string, unknown> },
    context: GatewayContext,
  ): Promise<FormattedExecutionResult>;
  formatError(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError;
  requireAuth: boolean;
  connectionInitTimeoutMs: number;
  keepAliveMs: number;
  maxPayloadBytes: number;
  maxSubscriptionsPerConnection: number;
  /** Caps on sockets and subscriptions per caller and in all (connection-caps.ts). */
  caps: ConnectionCaps;
  /** The caller's address, by which anonymous callers are counted and budgeted. */
  clientAddress(request: http.IncomingMessage): string;
}

export interface GatewaySubscriptionStats {
  connections: number;
  subscriptions: number;
  /** Subscriptions running for them, shared by subscribers of the same caller, operation and variables. */
  shared: number;
  /** Late joiners' own subscriptions (for their snapshot) merged back into a shared one, since start. */
  merged: number;
  /** Late joiners sent a copy of a shared subscription's recent snapshot instead, since start. */
  snapshotsReused: number;
  /** Timers closing connections when their token expires. */
  expiryTimers: number;
}

export interface GatewaySubscriptionServer {
  stats(): GatewaySubscriptionStats;
  dispose(): Promise<void>;
}

interface Connection {
  context: GatewayContext;
  expiry?: NodeJS.Timeout;
  holdings: SocketHoldings;
}

/** What onSubscribe hands to execute/subscribe for one operation. */
interface OperationRun {
  gateway: GatewayContext;
  source: string;
  operation: OperationDefinitionNode;
  /** Subscriptions only: their plan, made before the client is told anything. */
  plan?: SubscriptionPlan;
}

/**
 * The gateway's graphql-ws endpoint, on the same HTTP server and path as GraphQL over HTTP.
 * `connection_init` carries `{ authorization: "Bearer <JWT>" }`: an invalid or expired token (or
 * none, when WS_REQUIRE_AUTH is set) closes the socket with 4403, no init within the timeout with
 * 4408, and the socket closes with 4403 when the token expires. Operations get the validation of
 * HTTP; subscriptions are planned and federated (see federated-subscription.ts).
 */
export function serveGatewaySubscriptions(options: GatewaySubscriptionOptions): GatewaySubscriptionServer {
  const { planner, logger } = options;
  const schema = planner.schema;
  const rules = [...specifiedRules, ...options.validationRules];
  const connections = new Map<Context, Connection>();
  const federated = new FederatedSubscriptions(options);

  const oversized = new WeakMap<object, boolean>();
  const wss = new WebSocketServer({ server: options.httpServer, path: options.path, maxPayload: options.maxPayloadBytes });
  const formatAll = (errors: readonly (GraphQLError | GraphQLFormattedError)[]) =>
    errors.map((error) => options.formatError(error instanceof GraphQLError ? error.toJSON() : error, error));

  const server = useServer(
    {
      connectionInitWaitTimeout: options.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization ?? ctx.extra.request.headers.authorization;
        // A credential that is not a string is a malformed one, not an anonymous caller.
        if (header !== undefined && header !== null && typeof header !== 'string') return false;
        let verified: VerifiedToken | null;
        try {
          verified = await options.verifyAuthorization(header ?? undefined);
        } catch {
          return false;
        }
        if (!verified && options.requireAuth) return false;
        // The socket may have closed while the token was being verified (a JWKS fetch): its onClose
        // has already run, so nothing stored now would ever be cleaned up.
        if (ctx.extra.socket.readyState !== WebSocket.OPEN) return false;
        const remaining = verified?.expiresAt === undefined ? undefined : verified.expiresAt - Date.now();
        if (remaining !== undefined && remaining <= 0) return false;
        const clientAddress = options.clientAddress(ctx.extra.request);
        const admission = options.caps.admitSocket(callerKey(verified?.identity.userId, clientAddress));
        if (!admission.admitted) {
          // graphql-ws then tries 4403 on a socket already closing, which does nothing.
          ctx.extra.socket.close(TOO_MANY_SOCKETS_CLOSE, admission.reason);
          return false;
        }
        const connection: Connection = {
          context: { identity: verified?.identity ?? null, tokenExpiresAt: verified?.expiresAt, clientAddress },
          holdings: admission.holdings,
        };
        if (remaining !== undefined) {
          connection.expiry = setTimeout(() => ctx.extra.socket.close(FORBIDDEN_CLOSE, 'Token expired'), Math.min(remaining, MAX_TIMER_MS));
        }
        connections.set(ctx, connection);
        return true;
      },
      onClose: (ctx) => {
        clearTimeout(connections.get(ctx)?.expiry);
        connections.get(ctx)?.holdings.release();
        connections.delete(ctx);
      },
      onComplete: (ctx, id) => {
        connections.get(ctx)?.holdings.releaseOperation(id);
      },
      onSubscribe: (ctx, id, payload): ExecutionArgs | readonly GraphQLError[] => {
        const connection = connections.get(ctx);
        if (!connection) return [new GraphQLError('The connection is not initialised.', { extensions: { code: 'UNAUTHENTICATED' } })];
        // graphql-ws registers the operation before this hook, so the count includes it.
        if (Object.keys(ctx.subscriptions).length > options.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(`At most ${options.maxSubscriptionsPerConnection} operations may run on one connection.`, {
              extensions: { code: 'BAD_REQUEST' },
            }),
          ];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query, options.parseOptions);
        } catch (error) {
          return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
        }
        if (options.isTrustedOperation && !options.isTrustedOperation(document)) {
          return [new GraphQLError('Only trusted operations are accepted here.', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } })];
        }
        const conditional = refuseConditionalSubscriptionRoot(schema, document);
        if (conditional.length > 0) return conditional.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        const invalid = validate(schema, document, rules);
        if (invalid.length > 0) return invalid.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) {
          return [new GraphQLError('Name the operation to run among those of the document.', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
        }
        const run: OperationRun = { gateway: connection.context, source: payload.query, operation };
        if (operation.operation === 'subscription') {
          const nulField = nulInVariables(payload.variables);
          if (nulField !== undefined) return [nulVariableError(nulField)];
          // Queries and mutations get these checks (variables, cost) from Apollo Server's pipeline;
          // subscriptions get them here, so that a refusal is an `error` message rather than an
          // empty stream, and a subscription can ask no more than an HTTP request (issue 23).
          const refused = options.checkOperation({ schema, document, operation, variables: payload.variables });
          if (refused?.length) return refused;
          try {
            run.plan = planner.plan(document, payload.query, payload.operationName);
          } catch (error) {
            if (error instanceof GraphQLError) return [error];
            logger.error({ err: error }, 'a subscription could not be planned');
            return [new GraphQLError('Internal server error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })];
          }
          const admission = connection.holdings.admitOperation(id);
          if (!admission.admitted) return [new GraphQLError(admission.reason, { extensions: { code: 'BAD_REQUEST', reason: 'TOO_MANY_SUBSCRIPTIONS' } })];
        }
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables ?? {},
          contextValue: run,
        };
      },
      subscribe: (args) => {
        const run = args.contextValue as OperationRun;
        return neverThrows(logger, () => federated.subscribe({
          plan: run.plan!,
          document: args.document,
          operation: run.operation,
          source: run.source,
          operationName: args.operationName,
          variables: args.variableValues ?? {},
          context: run.gateway,
        }));
      },
      execute: (args) => {
        const run = args.contextValue as OperationRun;
        // Already formatted by Apollo Server; onNext formats errors of either kind.
        return options.executeOperation(
          { query: run.source, operationName: args.operationName, variables: args.variableValues ?? undefined },
          run.gateway,
        ) as Promise<ExecutionResult>;
      },
      onNext: (_ctx, _id, _payload, args, result) => {
        if (getOperationAST(args.document, args.operationName)?.operation === 'subscription') countSubscriptionMessage();
        const formatted = result.errors ? { ...result, errors: formatAll(result.errors) } : result;
        // The cost limit bounds the shape of what an event asks for, not how long its lists turn
        // out to be: one event must not become a message of megabytes for every subscriber.
        // Subscribers sharing an execution share its result object: it is measured once.
        let tooLarge = oversized.get(result);
        if (tooLarge === undefined) {
          tooLarge = Buffer.byteLength(JSON.stringify(formatted)) > options.maxEventBytes;
          oversized.set(result, tooLarge);
        }
        if (tooLarge) return tooLargeEvent();
        return formatted === result ? undefined : formatted;
      },
      onError: (_ctx, _id, _payload, errors) => formatAll(errors),
    },
    wss,
    options.keepAliveMs,
  );

  logSocketErrors(wss, logger);
  // Sockets that have not sent connection_init yet count too: each costs memory until its timeout.
  wss.on('connection', (socket) => {
    if (wss.clients.size > options.caps.limits.sockets) socket.close(TOO_MANY_SOCKETS_CLOSE, 'The server holds as many live connections as it can.');
  });

  return {
    stats: () => ({
      connections: connections.size,
      subscriptions: federated.stats().subscribers,
      shared: federated.stats().shared,
      merged: federated.stats().merged,
      snapshotsReused: federated.stats().snapshotsReused,
      expiryTimers: [...connections.values()].filter((connection) => connection.expiry).length,
    }),
    dispose: async () => {
      await server.dispose();
    },
  };
}

/**
 * graphql-ws closes the socket with an exception's raw message as the close reason (outside
 * production): an unexpected failure becomes a masked error result instead, logged in full.
 */
function neverThrows<T>(logger: GatewaySubscriptionOptions['logger'], run: () => T): T | ExecutionResult {
  try {
    return run();
  } catch (error) {
    logger.error({ err: error }, 'a subscription could not start');
    return { errors: [new GraphQLError('Internal server error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
  }
}

function tooLargeEvent(): FormattedExecutionResult {
  return {
    errors: [
      {
        message: 'This result is larger than one message may be (result size limit); select fewer fields or items.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'result size' },
      },
    ],
  };
}

/** Graphql-js errors carry no code; HTTP clients get these codes from Apollo Server. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions?.code) return error;
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions: { ...error.extensions, code } });
}

