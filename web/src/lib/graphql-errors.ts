import { CombinedGraphQLErrors } from '@apollo/client/errors';
import type { GraphQLFormattedError } from 'graphql';

/**
 * The server's BAD_USER_INPUT errors by form field: `extensions.field` names the input path
 * (`input.price.amount`), and the form field is its first segment after `input.`.
 */
export function serverFieldErrors(error: unknown): { fields: Record<string, string>; other: string[] } {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  const errors: readonly GraphQLFormattedError[] = CombinedGraphQLErrors.is(error) ? error.errors : [];
  for (const graphQLError of errors) {
    const field = graphQLError.extensions?.field;
    if (graphQLError.extensions?.code === 'BAD_USER_INPUT' && typeof field === 'string') {
      const name = field.replace(/^input\./, '').split('.')[0]!;
      fields[name] ??= graphQLError.message;
    } else {
      other.push(graphQLError.message);
    }
  }
  if (!CombinedGraphQLErrors.is(error) && error) other.push(error instanceof Error ? error.message : String(error));
  return { fields, other };
}

/**
 * The first error of a response that concerns `path` (a field path from the root, list indexes
 * ignored): one at or below it, one above it (its parent was nulled), or one with no path at all
 * (the gateway's SERVICE_DEGRADED for a failed subgraph fetch carries none).
 */
export function errorAt(errors: readonly GraphQLFormattedError[] | undefined, path: string[]): GraphQLFormattedError | undefined {
  return errors?.find((error) => {
    const names = (error.path ?? []).filter((segment): segment is string => typeof segment === 'string');
    const below = path.every((segment, index) => names[index] === segment);
    const above = names.every((segment, index) => path[index] === segment);
    return below || above;
  });
}
