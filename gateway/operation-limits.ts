import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { loadConfig, type Config } from '../kernel/config';
import { OperationCostCache } from './cost-cache';
import { OperationCostModel, readCostDirectives, type CostDirectives } from './operation-cost';
import { coerceVariables } from './variable-coercion';

/** Bounds on what one operation may ask for (OPERATION_MAX_* in the environment); never echoed to clients. */
export type OperationLimits = Config['gateway']['limits'];

/** The limits with no OPERATION_* variable set (their one home is kernel/config.ts). */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = loadConfig({}).gateway.limits;

export type LimitKind = 'depth' | 'aliases' | 'cost' | 'tokens' | 'directives';

const REFUSALS: Record<LimitKind, string> = {
  depth: 'The operation nests its fields too deeply (depth limit); select fewer levels.',
  aliases: 'The operation uses too many aliases (alias limit); send fewer aliased fields.',
  cost: 'The operation asks for too much at once (cost limit); request fewer items or fields.',
  tokens: 'The document is too long (token limit); send a shorter operation.',
  directives: 'The operation uses too many directives (directive limit).',
};

/**
 * A refusal by one of the limits: GRAPHQL_VALIDATION_FAILED naming the kind of limit in
 * `extensions.limit` and in words, never the number, and never as a "Syntax Error" (a client would
 * look for a typo).
 */
export function limitRefusal(kind: LimitKind): GraphQLError {
  return new GraphQLError(REFUSALS[kind], { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: kind } });
}

/** An operation about to run, with the variables its client sent (not coerced yet). */
export interface OperationToCheck {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown> | null | undefined;
}

export interface OperationLimitProtection {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
  parseOptions: { maxTokens: number };
  /**
   * The checks that need the variables (their coercion, then the cost), for a parsed and validated
   * operation: the errors to answer, or none. HTTP runs them in a plugin; graphql-ws calls this
   * when a subscription starts.
   */
  check(operation: OperationToCheck): readonly GraphQLError[] | undefined;
  /** Rewrites graphql-js's token-limit parse error ("contains more that N tokens", sic) into the token-limit refusal. */
  hideLimit(formatted: GraphQLFormattedError): GraphQLFormattedError;
}

/**
 * graphql-armor's validation rules (depth, aliases, directives, hidden field suggestions), graphql-js's
 * token limit, and our cost model (operation-cost.ts). All run at the gateway before any query plan
 * executes, so a refused operation costs the subgraphs nothing.
 */
export function operationLimitProtection(
  limits: OperationLimits = DEFAULT_OPERATION_LIMITS,
  costDirectives?: CostDirectives | string,
): OperationLimitProtection {
  const refuseWith = (kind: LimitKind) => ({
    exposeLimits: false,
    // Armor's own error says "Syntax Error: Query validation error." whatever the limit: report ours.
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null) => context?.reportError(limitRefusal(kind))],
  });
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...refuseWith('depth') },
    maxAliases: { n: limits.maxAliases, ...refuseWith('aliases') },
    // Tokens are limited by graphql-js's own parser option (see parseOptions): armor's plugin throws
    // from a hook where Apollo answers 500 instead of 400.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, ...refuseWith('directives') },
    // One cost rule, ours: armor's structural cost ignores list sizes.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  }).protect();

  const directives = typeof costDirectives === 'string' ? readCostDirectives(costDirectives) : costDirectives;
  const models = new WeakMap<GraphQLSchema, OperationCostModel>();
  const modelFor = (schema: GraphQLSchema) => {
    let model = models.get(schema);
    if (!model) {
      model = new OperationCostModel(schema, limits.defaultListSize, directives);
      models.set(schema, model);
    }
    return model;
  };
  let costs: OperationCostCache | undefined;

  const check = ({ schema, document, operation, variables }: OperationToCheck): readonly GraphQLError[] | undefined => {
    const coerced = coerceVariables(schema, operation, variables);
    if (coerced.errors) return coerced.errors;
    const model = modelFor(schema);
    // Walking the document per request showed in the gateway's CPU profile: costs are remembered.
    costs ??= new OperationCostCache(model.slicingArguments);
    const cost = costs.costOf(document, operation.name?.value, coerced.coerced, () => model.costOf(document, operation, coerced.coerced));
    return cost > limits.maxCost ? [limitRefusal('cost')] : undefined;
  };

  const checkOverHttp: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema, operation }) {
          if (!operation) return;
          const errors = check({ schema, document, operation, variables: request.variables });
          // Apollo answers one error thrown here; the first names the first bad input.
          const [first] = errors ?? [];
          if (first) {
            throw new GraphQLError(first.message, { extensions: { ...first.extensions, http: { status: 400 } } });
          }
        },
      };
    },
  };

  return {
    validationRules: armor.validationRules,
    plugins: [...armor.plugins, checkOverHttp],
    parseOptions: { maxTokens: limits.maxTokens },
    check,
    hideLimit: (formatted) =>
      formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && /Document contains more th\w+ \d+ tokens/i.test(formatted.message)
        ? limitRefusal('tokens').toJSON()
        : formatted,
  };
}
