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
import { readLiveMeta } from '../../kernel/live/live-meta';
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
  /** Late joiners' subscriptions merged into the one they had to leave for their snapshot, since start. */
  merged: number;
}

/**
 * Subscribers of one caller, operation and variables, and the one upstream subscription they
 * share. A snapshot feed's subscribers (live-meta.ts) share it only from its start: a socket that
 * comes after the snapshot was sent gets a subscription of its own, with its own snapshot, which
 * merges into this one once the subgraph says both stand at the same point.
 */
interface SharedSubscription {
  subscribers: Set<PushIterator<ExecutionResult>>;
  /** It has sent a snapshot feed's message: a newcomer would miss the snapshot. */
  closedToJoiners: boolean;
  /** The subgraph's state for it after its last message (`LiveMeta.state`). */
  state?: string;
  ended: boolean;
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
 * cannot differ between them. Where the subgraph begins with a snapshot (issue 15), a socket
 * joining after it was sent opens a subscription of its own for its own snapshot (the others are
 * not sent it again); when the subgraph reports the same state for both after a message, their
 * messages are the same from then on, and the newer one's sockets move to the older one, whose
 * upstream subscription is the one kept. A subgraph that refuses the subscription (an error before
 * any event, such as FORBIDDEN) ends it with that error, which the graphql-ws server sends as an
 * `error` message. When the last subscriber leaves, the upstream subscription ends at once.
 */
export class FederatedSubscriptions {
  private readonly groups = new Map<string, SharedSubscription[]>();
  private readonly groupOf = new Map<PushIterator<ExecutionResult>, SharedSubscription>();
  private merges = 0;

  constructor(private readonly deps: FederatedSubscriptionDeps) {}

  subscribe(request: FederatedSubscriptionRequest): PushIterator<ExecutionResult> {
    const key = JSON.stringify([request.context.identity, request.operationName ?? null, request.source, request.variables]);
    const subscriber: PushIterator<ExecutionResult> = createPushIterator({
      onEnd: () => {
        const group = this.groupOf.get(subscriber);
        this.groupOf.delete(subscriber);
        if (!group || !group.subscribers.delete(subscriber) || group.subscribers.size > 0) return;
        this.forget(key, group);
        group.stop();
      },
    });
    let group = this.groups.get(key)?.find((candidate) => !candidate.closedToJoiners && !candidate.ended);
    if (!group) {
      group = this.start(request, key);
      this.groups.set(key, [...(this.groups.get(key) ?? []), group]);
    }
    group.subscribers.add(subscriber);
    this.groupOf.set(subscriber, group);
    return subscriber;
  }

  stats(): FederatedSubscriptionStats {
    let subscribers = 0;
    let shared = 0;
    for (const groups of this.groups.values()) {
      shared += groups.length;
      for (const group of groups) subscribers += group.subscribers.size;
    }
    return { subscribers, shared, merged: this.merges };
  }

  private forget(key: string, group: SharedSubscription): void {
    const remaining = (this.groups.get(key) ?? []).filter((candidate) => candidate !== group);
    if (remaining.length > 0) this.groups.set(key, remaining);
    else this.groups.delete(key);
  }

  /**
   * After `group` reached `state`: another subscription of the same key in the same state receives
   * the same messages from now on (the subgraph derives them from the same changes and the same
   * state), so the one with fewer sockets hands them over and stops. Neither has sent anything
   * beyond that state yet: the state is recorded before a message is pushed.
   */
  private mergeSameState(key: string, group: SharedSubscription): void {
    const other = this.groups.get(key)?.find((candidate) => candidate !== group && !candidate.ended && candidate.state === group.state);
    if (!other) return;
    const [from, into] = group.subscribers.size <= other.subscribers.size ? [group, other] : [other, group];
    for (const subscriber of from.subscribers) {
      into.subscribers.add(subscriber);
      this.groupOf.set(subscriber, into);
    }
    from.subscribers.clear();
    this.forget(key, from);
    from.stop();
    this.merges += 1;
  }

  private start(request: FederatedSubscriptionRequest, key: string): SharedSubscription {
    const { deps } = this;
    const { plan } = request;
    const { primary } = plan;
    const group: SharedSubscription = { subscribers: new Set(), closedToJoiners: false, ended: false, stop: () => undefined };
    let processing = Promise.resolve();
    let started = false;
    const endAll = (error?: GraphQLError) => {
      group.ended = true;
      this.forget(key, group);
      for (const subscriber of [...group.subscribers]) subscriber.end(error);
    };

    const processEvent = async (event: FormattedExecutionResult) => {
      if (group.ended) return;
      const refused = !started && (event.data === null || event.data === undefined) && (event.errors?.length ?? 0) > 0;
      started = true;
      if (refused) {
        endAll(toGraphQLError(event.errors![0]));
        return;
      }
      const live = readLiveMeta(event.extensions as Record<string, unknown> | undefined);
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
      if (group.ended) return;
      if (live) {
        group.closedToJoiners = true;
        if (live.state !== undefined) group.state = live.state;
      }
      for (const subscriber of group.subscribers) subscriber.push(result);
      if (live?.state !== undefined) this.mergeSameState(key, group);
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
    group.stop = () => {
      group.ended = true;
      stop();
    };
    return group;
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
