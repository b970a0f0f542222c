import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { execute, getNamedType, getVariableValues, isInputObjectType, typeFromAST, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Gateway<TContext extends BaseContext> = ApolloServerOptionsWithGateway<TContext>['gateway'];

/** How many compiled operations a subgraph keeps (the gateway's query plans send a bounded set). */
const COMPILED_OPERATIONS_KEPT = 1000;

/**
 * Apollo Server's gateway interface, used for what it allows a server: its own schema and its own
 * executor. Queries and mutations run as graphql-jit compiles them (once per operation, then a
 * function per request), which costs a third less CPU than graphql-js's `execute` for the same
 * answer (issue 19; `bench/subgraph-layers.ts`); Apollo Server still parses, validates, runs the
 * plugins and formats the errors. graphql-js's `execute` runs everything else: subscriptions,
 * operations graphql-jit cannot compile, operations with a variable of an input object type
 * (graphql-jit 0.8 refuses such a variable that leaves out a field with a default, where graphql-js
 * applies the default), and requests whose variables graphql-js refuses (its errors name the
 * variable, which Apollo Server turns into BAD_USER_INPUT).
 */
export function compiledExecution<TContext extends BaseContext>(schema: GraphQLSchema): Gateway<TContext> {
  const compiled = new Map<string, CompiledQuery | null>();
  const compile = (key: string, document: DocumentNode, operation: OperationDefinitionNode): CompiledQuery | null => {
    let query = compiled.get(key);
    if (query !== undefined) return query;
    query = null;
    if (compilable(schema, operation)) {
      try {
        const result = compileQuery(schema, document, operation.name?.value, { disablingCapturingStackErrors: true });
        if (isCompiledQuery(result)) query = result;
      } catch {
        // graphql-js runs what graphql-jit cannot compile.
      }
    }
    // Oldest first: a subgraph's operations are its gateway's query plans, a bounded set.
    if (compiled.size >= COMPILED_OPERATIONS_KEPT) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, query);
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
        const query = compile(`${queryHash}:${operationName ?? ''}`, document, operation);
        return query && variablesAccepted(schema, operation, variableValues) ? query.query(undefined, context, variableValues) : byGraphqlJs();
      },
    }),
    stop: async () => undefined,
  };
}

function compilable(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  if (operation.operation === 'subscription') return false;
  return (operation.variableDefinitions ?? []).every((definition) => !isInputObjectType(getNamedType(typeFromAST(schema, definition.type))));
}

function variablesAccepted(schema: GraphQLSchema, operation: OperationDefinitionNode, values: Record<string, unknown>): boolean {
  const definitions = operation.variableDefinitions ?? [];
  return definitions.length === 0 || !('errors' in getVariableValues(schema, definitions, values));
}
