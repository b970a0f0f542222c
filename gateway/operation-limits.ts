import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  isListType,
  getNullableType,
  type GraphQLFormattedError,
  type ValidationRule,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { OperationCostCache } from './cost-cache';

/** Bounds on what one operation may ask for; limits are never echoed back to clients. */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Cost counting every list field as `defaultListSize` items unless a `first`/`limit`/`count` argument says how many. */
  maxCost: number;
  defaultListSize: number;
}

export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 3000,
  maxDirectives: 25,
  maxCost: 5000,
  defaultListSize: 20,
};

const LIST_SIZE_ARGUMENTS = ['first', 'limit', 'count', 'last'];

/**
 * A list field costs its children times the number of items it can return: the value of a size
 * argument when the operation gives one, else a default.
 */
function listSizeEstimator(defaultListSize: number): ComplexityEstimator {
  return ({ field, args, childComplexity }) => {
    if (!isListType(getNullableType(field.type))) return undefined;
    const sizeArgument = LIST_SIZE_ARGUMENTS.find((name) => typeof args[name] === 'number');
    const size = sizeArgument ? Math.max(1, args[sizeArgument] as number) : defaultListSize;
    return 1 + size * Math.max(1, childComplexity);
  };
}

export interface OperationLimitProtection {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
  parseOptions: { maxTokens: number };
  /** Rewrites rejections whose message would reveal a limit. */
  hideLimit(formatted: GraphQLFormattedError): GraphQLFormattedError;
}

/**
 * graphql-armor (depth, aliases, tokens, directives, structural cost, hidden field suggestions)
 * plus graphql-query-complexity for cost with list sizes. Both run at the gateway before any query
 * plan executes, so a rejected operation costs the subgraphs nothing.
 */
export function operationLimitProtection(limits: OperationLimits = DEFAULT_OPERATION_LIMITS): OperationLimitProtection {
  const hidden = { exposeLimits: false, propagateOnRejection: true } as const;
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...hidden },
    maxAliases: { n: limits.maxAliases, ...hidden },
    // Tokens are limited by graphql-js's own parser option (see parseOptions): armor's plugin throws
    // from a hook where Apollo answers 500 instead of 400.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives, ...hidden },
    costLimit: { maxCost: limits.maxCost, ignoreIntrospection: true, ...hidden },
    blockFieldSuggestion: { enabled: true },
  }).protect();

  const estimators = [listSizeEstimator(limits.defaultListSize), simpleEstimator({ defaultComplexity: 1 })];
  // Walking the document per request showed in the gateway's CPU profile: costs are remembered.
  const costs = new OperationCostCache(LIST_SIZE_ARGUMENTS);

  const costWithListSizes: ApolloServerPlugin = {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const operationName = request.operationName ?? undefined;
          const variables = request.variables ?? {};
          const cost = costs.costOf(document, operationName, variables, () =>
            getComplexity({ schema, query: document, operationName, variables, estimators }),
          );
          if (cost > limits.maxCost) {
            throw new GraphQLError('The operation asks for too much at once; request fewer items or fields.', {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
            });
          }
        },
      };
    },
  };

  return {
    validationRules: armor.validationRules,
    plugins: [...armor.plugins, costWithListSizes],
    parseOptions: { maxTokens: limits.maxTokens },
    hideLimit: (formatted) =>
      formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && /tokens/i.test(formatted.message)
        ? { ...formatted, message: 'Syntax Error: the document is too large.' }
        : formatted,
  };
}
