import type { GraphQLFormattedError } from 'graphql';

const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * Drops graphql-js's "Did you mean …?" hints (field names, enum values, argument names) from an
 * error, so that guessing near a name does not reveal the schema where introspection is off.
 * graphql-armor does this for HTTP field hints only; this covers every error of both transports.
 */
export function hideSuggestions(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.message.includes('Did you mean')) return formatted;
  return { ...formatted, message: formatted.message.replace(SUGGESTION, '') };
}
