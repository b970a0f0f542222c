import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { execute, getNamedType, isInputObjectType, typeFromAST, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { setNewest } from '../bounded-map';

type Gateway<TContext extends BaseContext> = ApolloServerOptionsWithGateway<TContext>['gateway'];

/** How many operations a subgraph remembers (compiled, or seen once), oldest forgotten first. */
const OPERATIONS_KEPT = 1000;

/** An operation seen once and not compiled yet. */
const SEEN_ONCE = 'seen once';

/**
 * Apollo Server's gateway interface, used for what it allows a server: its own schema and its own
 * executor. Queries and mutations run as graphql-jit compiles them (then a function per request),
 * which costs a quarter to a third less CPU than graphql-js's `execute` for the same answer (issue
 * 19; `bench/subgraph-layers.ts`); Apollo Server still parses, validates, runs the plugins and
 * formats the errors. An operation is compiled the second time it comes, so a stream of one-off
 * shapes costs no compilation. graphql-js's `execute` runs everything else: an operation's first
 * request, subscriptions, operations graphql-jit cannot compile, operations with a variable of an
 * input object type (graphql-jit 0.8 refuses such a variable that leaves out a field with a
 * default, where graphql-js applies the default), and requests whose variables graphql-jit refuses
 * (graphql-js's errors name the variable, which Apollo Server turns into BAD_USER_INPUT).
 */
export function compiledExecution<TContext extends BaseContext>(schema: GraphQLSchema): Gateway<TContext> {
  const operations = new Map<string, CompiledQuery | null | typeof SEEN_ONCE>();
  const remember = (key: string, value: CompiledQuery | null | typeof SEEN_ONCE) => setNewest(operations, key, value, OPERATIONS_KEPT);
  const compiledFor = (key: string, document: DocumentNode, operation: OperationDefinitionNode): CompiledQuery | null => {
    const known = operations.get(key);
    if (known === undefined) {
      remember(key, compilable(schema, operation) ? SEEN_ONCE : null);
      return null;
    }
    if (known !== SEEN_ONCE) return known;
    let query: CompiledQuery | null = null;
    try {
      const result = compileQuery(schema, document, operation.name?.value, { disablingCapturingStackErrors: true });
      if (isCompiledQuery(result)) query = result;
    } catch {
      // graphql-js runs what graphql-jit cannot compile.
    }
    remember(key, query);
    return query;
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    load: async () => ({
      executor: async ({ document, operation, operationName, queryHash, request, context }) => {
        const variableValues = request.variables ?? {};
        const byGraphqlJs = (): Promise<ExecutionResult> | ExecutionResult =>
          execute({ schema, document, operationName, variableValues, contextValue: context });
        const query = compiledFor(`${queryHash}:${operationName ?? ''}`, document, operation);
        if (!query) return byGraphqlJs();
        const result = query.query(undefined, context, variableValues);
        // graphql-jit refuses bad variables before executing anything, with an answer that has no
        // `data`: graphql-js then words the refusal, which Apollo Server turns into BAD_USER_INPUT.
        return result instanceof Promise || 'data' in result ? result : byGraphqlJs();
      },
    }),
    stop: async () => undefined,
  };
}

function compilable(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  if (operation.operation === 'subscription') return false;
  return (operation.variableDefinitions ?? []).every((definition) => !isInputObjectType(getNamedType(typeFromAST(schema, definition.type))));
}

