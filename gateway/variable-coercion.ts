import {
  coerceInputValue,
  GraphQLError,
  isInputType,
  isNonNullType,
  typeFromAST,
  valueFromAST,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** As many variable errors as graphql-js reports at most. */
const MAX_ERRORS = 50;

export type CoercedVariables = { coerced: Record<string, unknown>; errors?: undefined } | { coerced?: undefined; errors: GraphQLError[] };

/**
 * Coerces an operation's variables as graphql-js does before executing, but early (limits need the
 * values) and with each refusal a `BAD_USER_INPUT` naming the input in `extensions.field`
 * (`quantity`, `input.clickUrl`, `input.placements[2]`). The refused value itself is not echoed.
 * Run before the cost rule: costing needs coerced values, and costing raw ones threw (a 500 the
 * first time a document was seen, issue 23).
 */
export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown> | null | undefined,
): CoercedVariables {
  const values = inputs ?? {};
  const coerced: Record<string, unknown> = {};
  const errors: GraphQLError[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    if (errors.length >= MAX_ERRORS) break;
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    if (!type || !isInputType(type)) {
      errors.push(badInput(`Variable "$${name}" does not have an input type.`, name));
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(values, name)) {
      if (definition.defaultValue) coerced[name] = valueFromAST(definition.defaultValue, type);
      else if (isNonNullType(type)) errors.push(badInput(`Variable "$${name}" of required type "${String(type)}" was not provided.`, name));
      continue;
    }
    const value = values[name];
    if (value === null && isNonNullType(type)) {
      errors.push(badInput(`Variable "$${name}" of non-null type "${String(type)}" must not be null.`, name));
      continue;
    }
    coerced[name] = coerceInputValue(value, type, (path, _invalid, error) => {
      if (errors.length >= MAX_ERRORS) return;
      const field = name + path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');
      const where = path.length > 0 ? ` at "${field}"` : '';
      // Suggestions ("Did you mean …") would reveal enum values and fields; field hints are hidden too.
      const reason = error.message.replace(/\s*Did you mean .*$/s, '');
      errors.push(badInput(`Variable "$${name}" got an invalid value${where}; ${reason}`, field));
    });
  }
  return errors.length > 0 ? { errors } : { coerced };
}

function badInput(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}
