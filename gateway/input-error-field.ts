import type { GraphQLFormattedError } from 'graphql';

/** `Variable "$input" got invalid value … at "input.price"; …` or `Variable "$id" of required type …`. */
const VARIABLE_ERROR = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)"(?: got invalid value .*? at "([^"]+)")?/s;

/**
 * graphql-js's own variable errors (missing, mistyped, unknown input field, Int out of range) carry
 * the BAD_USER_INPUT code from Apollo Server but no `field`; the contract says BAD_USER_INPUT names
 * the offending input, so it is read from the message: `input.price`, or the variable's name.
 */
export function nameInputField(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.code !== 'BAD_USER_INPUT' || typeof formatted.extensions.field === 'string') return formatted;
  const match = VARIABLE_ERROR.exec(formatted.message);
  if (!match) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, field: match[2] ?? match[1] } };
}
