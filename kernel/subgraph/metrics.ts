import type { ApolloServerPlugin } from '@apollo/server';
import { clientOperationName, errorCodeLabel, operationLabel, operationTypeLabel } from '../observability/labels';
import { knownOperationNames } from '../observability/known-operations';
import { counter, histogram, secondsSince } from '../observability/metrics';

const operations = counter({
  name: 'subgraph_operations_total',
  help: 'Operations a subgraph answered, by subgraph, client operation name (trusted names only), type, outcome and first error code.',
  labelNames: ['subgraph', 'operation', 'type', 'outcome', 'code'] as const,
});
const operationSeconds = histogram({
  name: 'subgraph_operation_duration_seconds',
  help: 'Time a subgraph took to answer one operation.',
  labelNames: ['subgraph', 'operation', 'type'] as const,
});

/**
 * Counts each operation a subgraph answers once, when the answer is sent. The gateway names a fetch
 * `<ClientOperation>__<subgraph>__<n>`; the label is the client's operation, bounded like the gateway's.
 */
export function subgraphMetricsPlugin(subgraph: string, known: ReadonlySet<string> = knownOperationNames()): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const start = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operation, operationName, request }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const name = operationLabel(clientOperationName(operationName ?? request.operationName), known);
          const type = operationTypeLabel(operation?.operation);
          const errors = body.errors;
          const outcome = !errors?.length ? 'ok' : body.data ? 'partial' : 'error';
          operations.inc({ subgraph, operation: name, type, outcome, code: outcome === 'ok' ? 'none' : errorCodeLabel(errors?.[0]?.extensions?.code) });
          operationSeconds.observe({ subgraph, operation: name, type }, secondsSince(start));
        },
      };
    },
  };
}
