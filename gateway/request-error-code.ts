import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * Apollo Server refuses some requests with an HTTP 4xx but no `extensions.code` (an APQ hash that
 * does not match its query: "provided sha does not match query"); unmasked, such an error was
 * counted as an internal one and logged at error level (issue 23). A request error Apollo itself
 * answered with a 4xx status is the client's: BAD_REQUEST.
 */
export function codeClientRequestErrors(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError {
  // Apollo Server fills a missing code with INTERNAL_SERVER_ERROR before formatError sees it.
  if (!(original instanceof GraphQLError) || original.extensions?.code !== undefined) return formatted;
  const status = (original.extensions?.http as { status?: unknown } | undefined)?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
}
