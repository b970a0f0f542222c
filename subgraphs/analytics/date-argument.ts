import { GraphQLScalarType, Kind } from 'graphql';
import { DateScalar } from '../../kernel/scalars';

/**
 * The `Date` scalar as analytics reads it: like the kernel's {@link DateScalar}, except that a
 * string passes through unchecked so that `parseDateRange` can check it and name the argument
 * (`from` or `to`) in `BAD_USER_INPUT`, as the contract asks. Failing in the scalar would name only
 * the type. Anything but a string is refused here, with the kernel's message.
 */
export const DateArgumentScalar = new GraphQLScalarType<string, string>({
  ...DateScalar.toConfig(),
  parseValue: (value) => (typeof value === 'string' ? value : DateScalar.parseValue(value)),
  parseLiteral: (ast, variables) => (ast.kind === Kind.STRING ? ast.value : DateScalar.parseLiteral(ast, variables)),
});
