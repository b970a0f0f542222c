import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { errorCodeLabel, operationLabel, operationTypeLabel } from '../kernel/observability/labels';
import { knownOperationNames } from '../kernel/observability/known-operations';
import { counter, histogram, sampledGauge, secondsSince } from '../kernel/observability/metrics';

const operations = counter({
  name: 'gateway_operations_total',
  help: 'GraphQL operations answered by the gateway, by operation name (trusted names only), type, outcome and first error code.',
  labelNames: ['operation', 'type', 'outcome', 'code'] as const,
});
const operationSeconds = histogram({
  name: 'gateway_operation_duration_seconds',
  help: 'Time from receiving an operation to sending its answer.',
  labelNames: ['operation', 'type'] as const,
});
const refused = counter({
  name: 'gateway_refused_operations_total',
  help: 'Operations refused by an operation limit (depth, aliases, cost, tokens, directives) before planning.',
  labelNames: ['limit'] as const,
});
const LIMITS = new Set(['depth', 'aliases', 'cost', 'tokens', 'directives']);

/** `ok`: no error; `partial`: data and errors (a subgraph degraded); `error`: errors and no data. */
function outcomeOf(data: unknown, errors: readonly GraphQLFormattedError[] | undefined): 'ok' | 'partial' | 'error' {
  if (!errors || errors.length === 0) return 'ok';
  return data !== null && data !== undefined ? 'partial' : 'error';
}

/**
 * Counts every operation the gateway answers (HTTP, and queries sent over graphql-ws) once, when its
 * answer is sent: no per-field hook, one counter and one histogram per request.
 */
export function operationMetricsPlugin(known: ReadonlySet<string> = knownOperationNames()): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const start = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operation, operationName, request }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const errors = body.errors;
          const name = operationLabel(operationName ?? request.operationName, known);
          const type = operationTypeLabel(operation?.operation);
          const outcome = outcomeOf(body.data, errors);
          operations.inc({ operation: name, type, outcome, code: outcome === 'ok' ? 'none' : errorCodeLabel(errors?.[0]?.extensions?.code) });
          operationSeconds.observe({ operation: name, type }, secondsSince(start));
          for (const error of errors ?? []) {
            const limit = error.extensions?.limit;
            if (typeof limit === 'string' && LIMITS.has(limit)) refused.inc({ limit });
          }
        },
      };
    },
  };
}

const fetches = counter({
  name: 'gateway_subgraph_fetches_total',
  help: 'Fetches from the gateway to a subgraph, by outcome: ok, graphql_error (answered with errors), http_error, timeout, network_error.',
  labelNames: ['subgraph', 'outcome'] as const,
});
const fetchSeconds = histogram({
  name: 'gateway_subgraph_fetch_duration_seconds',
  help: 'Time of one fetch from the gateway to a subgraph, answer read.',
  labelNames: ['subgraph'] as const,
});

export type FetchOutcome = 'ok' | 'graphql_error' | 'http_error' | 'timeout' | 'network_error';

/** Records one subgraph fetch (its `start` a `process.hrtime.bigint()` reading). */
export function recordSubgraphFetch(subgraph: string, outcome: FetchOutcome, start: bigint): void {
  fetches.inc({ subgraph, outcome });
  fetchSeconds.observe({ subgraph }, secondsSince(start));
}

/** The outcome of a fetch that threw: the fetcher's deadline says ETIMEDOUT. */
export function failedFetchOutcome(error: unknown): FetchOutcome {
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code;
  return code === 'ETIMEDOUT' ? 'timeout' : 'network_error';
}

const planCache = counter({
  name: 'gateway_query_plan_cache_total',
  help: 'Query plan lookups, by result: hit (plan reused) or miss (planned now).',
  labelNames: ['result'] as const,
});

interface PlanStore {
  get(key: string): Promise<unknown>;
}

/**
 * Counts hits and misses of @apollo/gateway's query plan cache by wrapping its store's `get`
 * (the gateway exposes no hook for it).
 */
export function countPlanCacheLookups(gateway: object): void {
  const store = (gateway as { queryPlanStore?: PlanStore }).queryPlanStore;
  if (!store || typeof store.get !== 'function') return;
  const get = store.get.bind(store);
  store.get = async (key) => {
    const plan = await get(key);
    planCache.inc({ result: plan ? 'hit' : 'miss' });
    return plan;
  };
}

const sockets = sampledGauge('gateway_websocket_connections', 'Open graphql-ws connections of clients to the gateway.');
const subscriptions = sampledGauge('gateway_subscriptions', 'Client subscriptions the gateway serves, by side: client (its clients\') and upstream (its own towards subgraphs).', [
  'side',
] as const);

/** Reads the gateway's socket and subscription counts at every scrape; the returned function stops. */
export function observeSubscriptions(stats: () => { connections: number; subscriptions: number; upstream: { subscriptions: number } }): () => void {
  const removeSockets = sockets.add(() => [{ value: stats().connections }]);
  const removeSubscriptions = subscriptions.add(() => {
    const current = stats();
    return [
      { labels: { side: 'client' }, value: current.subscriptions },
      { labels: { side: 'upstream' }, value: current.upstream.subscriptions },
    ];
  });
  return () => {
    removeSockets();
    removeSubscriptions();
  };
}

const delivered = counter({
  name: 'gateway_subscription_messages_total',
  help: 'Subscription events the gateway sent to its graphql-ws clients.',
});

export function countSubscriptionMessage(): void {
  delivered.inc();
}
