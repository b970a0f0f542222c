import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { DateScalar } from '../../kernel/scalars';

/**
 * The `Date` scalar as analytics reads it: serialized like the kernel's {@link DateScalar}, but
 * arguments pass through unchecked, and `parseDateRange` (which every field taking a Date calls)
 * checks them with the kernel's rule and names the argument (`from` or `to`) in `BAD_USER_INPUT`.
 *
 * Why not fail in the scalar: its error can name only the type, and a variable refused while the
 * subgraph coerces it comes back to the gateway as an HTTP 400, which @apollo/gateway turns into
 * INTERNAL_SERVER_ERROR for the client.
 */
export const DateArgumentScalar = new GraphQLScalarType<unknown, string>({
  ...DateScalar.toConfig(),
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => (ast.kind === Kind.STRING ? ast.value : valueFromASTUntyped(ast, variables)),
});
