import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

/**
 * The schema clients see for a supergraph: what @apollo/gateway serves (`Supergraph.build`, then
 * `apiSchema()`), without the join/link machinery and `@inaccessible` elements.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
