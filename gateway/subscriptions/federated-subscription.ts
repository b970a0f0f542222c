import { executeQueryPlan, type GraphQLDataSource, type ServiceMap } from '@apollo/gateway';
import {
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
} from 'graphql';
import { serviceDegraded } from '../../kernel/errors';
import { createPushIterator, type PushIterator } from '../../kernel/live/push-iterator';
import type { Logger } from '../../kernel/logger';
import type { GatewayContext } from '../identity-data-source';
import type { SubscriptionPlan, SubscriptionPlanner } from './planner';
import { describeFailure, type UpstreamSubscriptions } from './upstream';

type RequestContext = Parameters<typeof executeQueryPlan>[2];

export interface FederatedSubscriptionDeps {
  planner: SubscriptionPlanner;
  upstream: UpstreamSubscriptions;
  /** The gateway's data sources by subgraph name, for the entity fetches of each event. */
  dataSources(): ServiceMap;
  logger: Logger;
}

export interface FederatedSubscriptionRequest {
  plan: SubscriptionPlan;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  source: string;
  operationName?: string | null;
  variables: Record<string, unknown>;
  context: GatewayContext;
}

export interface FederatedSubscriptionStats {
  /** Subscribers of this gateway. */
  subscribers: number;
  /** Running subscriptions, each shared by the subscribers of one caller, operation and variables. */
  shared: number;
}

/** Subscribers of one caller, operation and variables, and the one upstream subscription they share. */
interface SharedSubscription {
  subscribers: Set<PushIterator<ExecutionResult>>;
  stop(): void;
}

/**
 * Runs planned subscriptions: the primary part as a graphql-ws subscription on the subgraph that
 * owns the root field, then, for each event, the per-event plan through @apollo/gateway's
 * `executeQueryPlan`, with the primary fetch answered by the event itself, so fields other
 * subgraphs own are resolved by entity fetches (batched) and the result is shaped exactly as for
 * a query. Events are processed one at a time, in order.
 *
 * Subscribers with the same identity, operation and variables (a dashboard open in many tabs, a
 * wall of screens) share one upstream subscription and one execution per event: the answer
 * cannot differ between them. A subgraph that refuses the subscription (an error before any
 * event, such as FORBIDDEN) ends it with that error, which the graphql-ws server sends as an
 * `error` message. When the last subscriber leaves, the upstream subscription ends at once.
 */
export class FederatedSubscriptions {
  private readonly shared = new Map<string, SharedSubscription>();

  constructor(private readonly deps: FederatedSubscriptionDeps) {}

  subscribe(request: FederatedSubscriptionRequest): PushIterator<ExecutionResult> {
    const key = JSON.stringify([request.context.identity, request.operationName ?? null, request.source, request.variables]);
    let shared = this.shared.get(key);
    const subscriber: PushIterator<ExecutionResult> = createPushIterator({
      onEnd: () => {
        const current = this.shared.get(key);
        if (!current || !current.subscribers.delete(subscriber) || current.subscribers.size > 0) return;
        this.shared.delete(key);
        current.stop();
      },
    });
    if (!shared) {
      shared = this.start(request, () => {
        if (this.shared.get(key) === shared) this.shared.delete(key);
      });
      this.shared.set(key, shared);
    }
    shared.subscribers.add(subscriber);
    return subscriber;
  }

  stats(): FederatedSubscriptionStats {
    let subscribers = 0;
    for (const shared of this.shared.values()) subscribers += shared.subscribers.size;
    return { subscribers, shared: this.shared.size };
  }

  private start(request: FederatedSubscriptionRequest, forget: () => void): SharedSubscription {
    const { deps } = this;
    const { plan } = request;
    const { primary } = plan;
    const subscribers = new Set<PushIterator<ExecutionResult>>();
    let processing = Promise.resolve();
    let started = false;
    let ended = false;
    const endAll = (error?: GraphQLError) => {
      ended = true;
      forget();
      for (const subscriber of [...subscribers]) subscriber.end(error);
    };

    const processEvent = async (event: FormattedExecutionResult) => {
      if (ended) return;
      const refused = !started && (event.data === null || event.data === undefined) && (event.errors?.length ?? 0) > 0;
      started = true;
      if (refused) {
        endAll(toGraphQLError(event.errors![0]));
        return;
      }
      let result: ExecutionResult;
      try {
        result = await executeQueryPlan(
          plan.perEvent,
          eventServiceMap(deps.dataSources(), primary.serviceName, primary.operation, event),
          requestContext(request, deps.logger),
          plan.operationContext,
          deps.planner.supergraphSchema,
          deps.planner.apiSchema,
        );
      } catch (error) {
        deps.logger.error({ err: error, subgraph: primary.serviceName }, 'a subscription event could not be resolved');
        result = { data: null, errors: [new GraphQLError('Internal server error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
      }
      for (const subscriber of subscribers) subscriber.push(result);
    };

    const stop = deps.upstream.subscribe(
      primary.serviceName,
      { query: primary.operation, operationName: primary.operationName, variables: pick(request.variables, primary.variableUsages) },
      request.context.identity,
      {
        next: (event) => {
          processing = processing.then(() => processEvent(event));
        },
        error: (error) => {
          processing = processing.then(() => endAll(upstreamFailure(error, primary.serviceName, deps.logger)));
        },
        complete: () => {
          processing = processing.then(() => endAll());
        },
      },
    );
    return {
      subscribers,
      stop: () => {
        ended = true;
        stop();
      },
    };
  }
}

/**
 * The gateway's data sources, with the primary fetch's subgraph answering the primary operation
 * from the event: every other fetch, including one to that same subgraph, goes out as usual.
 */
function eventServiceMap(services: ServiceMap, serviceName: string, primaryOperation: string, event: FormattedExecutionResult): ServiceMap {
  const real = services[serviceName];
  const eventSource: GraphQLDataSource = {
    process: (options) =>
      options.request.query === primaryOperation
        ? Promise.resolve({ data: event.data ?? null, errors: event.errors, extensions: event.extensions })
        : real.process(options),
  };
  return { ...services, [serviceName]: eventSource };
}

function requestContext(request: FederatedSubscriptionRequest, logger: Logger): RequestContext {
  // executeQueryPlan and the data sources read the request, the context, the logger and the
  // metrics; the rest of a full Apollo request context has no meaning for a subscription event.
  return {
    request: { query: request.source, operationName: request.operationName ?? undefined, variables: request.variables },
    context: request.context,
    logger,
    metrics: {},
    document: request.document,
    source: request.source,
    operationName: request.operationName ?? null,
    operation: request.operation,
  } as unknown as RequestContext;
}

function pick(variables: Record<string, unknown>, names: string[] | undefined): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of names ?? []) if (variables[name] !== undefined) picked[name] = variables[name];
  return picked;
}

function toGraphQLError(error: GraphQLFormattedError | GraphQLError): GraphQLError {
  if (error instanceof GraphQLError) return error;
  return new GraphQLError(error.message, { path: error.path, extensions: error.extensions });
}

/** graphql-ws reports a subgraph's `error` message as GraphQL errors, and a lost connection as a close event. */
function upstreamFailure(error: unknown, serviceName: string, logger: Logger): GraphQLError {
  if (Array.isArray(error) && error.length > 0 && typeof error[0]?.message === 'string') return toGraphQLError(error[0]);
  logger.warn({ failure: describeFailure(error), subgraph: serviceName }, 'upstream subscription ended by a failure');
  return serviceDegraded(`The ${serviceName} service is unavailable; subscribe again in a moment.`);
}
