import { buildOperationContext, type executeQueryPlan } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type QueryPlan } from '@apollo/query-planner';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';

type OperationContext = Parameters<typeof executeQueryPlan>[3];

/** How one subscription operation runs: a subscription on the owning subgraph, then the rest per event. */
export interface SubscriptionPlan {
  /** The subscription sent to the subgraph that owns the root field. */
  primary: FetchNode;
  /**
   * The plan run for each event: the primary fetch (answered with the event itself) followed by
   * the entity fetches of fields other subgraphs own, batched per subgraph as for a query.
   */
  perEvent: QueryPlan;
  operationContext: OperationContext;
}

/**
 * Plans subscriptions with the federation query planner, which @apollo/gateway does not do for
 * us: it plans them (a `Subscription` node with a primary fetch and the rest) but refuses to
 * execute them. Plans are cached per document and operation name, as the gateway caches query
 * plans.
 */
export class SubscriptionPlanner {
  readonly apiSchema: Schema;
  /** The API schema as graphql-js sees it, for validation. */
  readonly schema: GraphQLSchema;
  /** The supergraph schema, which `executeQueryPlan` needs for entity representations. */
  readonly supergraphSchema: GraphQLSchema;
  private readonly planner: QueryPlanner;
  private readonly cache = new Map<string, SubscriptionPlan>();

  constructor(
    supergraphSdl: string,
    private readonly maxCachedPlans = 500,
  ) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
  }

  /** Plans a validated subscription document; a planning failure is a GraphQLError for the client. */
  plan(document: DocumentNode, source: string, operationName?: string | null): SubscriptionPlan {
    const key = `${operationName ?? ''}\n${source}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const plan = this.build(document, operationName ?? undefined);
    if (this.cache.size >= this.maxCachedPlans) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, plan);
    return plan;
  }

  private build(document: DocumentNode, operationName: string | undefined): SubscriptionPlan {
    const operation = operationFromDocument(this.apiSchema, document, { operationName });
    const { node } = this.planner.buildQueryPlan(operation);
    if (node?.kind !== 'Subscription') {
      throw new GraphQLError('The operation could not be planned as a subscription.', { extensions: { code: 'BAD_REQUEST' } });
    }
    return {
      primary: node.primary,
      perEvent: { kind: 'QueryPlan', node: node.rest ? { kind: 'Sequence', nodes: [node.primary, node.rest] } : node.primary },
      operationContext: buildOperationContext({ schema: this.schema, operationDocument: document, operationName }),
    };
  }
}
