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
import type { UpstreamSubscriptions } from './upstream';

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
  /** Called once when the subscription ends, whichever side ends it. */
  onEnd?: () => void;
}

/**
 * Runs one planned subscription: the primary part as a graphql-ws subscription on the subgraph
 * that owns the root field, then, for each event, the per-event plan through @apollo/gateway's
 * `executeQueryPlan`, with the primary fetch answered by the event itself, so fields other
 * subgraphs own are resolved by entity fetches (batched) and the result is shaped exactly as for
 * a query. Events are processed one at a time, in order.
 *
 * A subgraph that refuses the subscription (an error before any event, such as FORBIDDEN) ends it
 * with that error, which the graphql-ws server sends as an `error` message. Ending the returned
 * iterator ends the upstream subscription at once.
 */
export function runFederatedSubscription(deps: FederatedSubscriptionDeps, request: FederatedSubscriptionRequest): PushIterator<ExecutionResult> {
  const { plan } = request;
  const { primary } = plan;
  let processing = Promise.resolve();
  let started = false;
  const stream = createPushIterator<ExecutionResult>({
    onEnd: () => {
      stop();
      request.onEnd?.();
    },
  });

  const processEvent = async (event: FormattedExecutionResult) => {
    if (stream.ended) return;
    const refused = !started && (event.data === null || event.data === undefined) && (event.errors?.length ?? 0) > 0;
    started = true;
    if (refused) {
      stream.end(toGraphQLError(event.errors![0]));
      return;
    }
    try {
      const result = await executeQueryPlan(
        plan.perEvent,
        eventServiceMap(deps.dataSources(), primary.serviceName, primary.operation, event),
        requestContext(request, deps.logger),
        plan.operationContext,
        deps.planner.supergraphSchema,
        deps.planner.apiSchema,
      );
      if (!stream.ended) stream.push(result);
    } catch (error) {
      deps.logger.error({ err: error, subgraph: primary.serviceName }, 'a subscription event could not be resolved');
      if (!stream.ended) stream.push({ data: null, errors: [new GraphQLError('Internal server error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] });
    }
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
        processing = processing.then(() => stream.end(upstreamFailure(error, primary.serviceName, deps.logger)));
      },
      complete: () => {
        processing = processing.then(() => stream.end());
      },
    },
  );
  return stream;
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
  logger.warn({ err: error, subgraph: serviceName }, 'upstream subscription ended by a failure');
  return serviceDegraded(`The ${serviceName} service is unavailable; subscribe again in a moment.`);
}
