import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * An operation's root type exists in the schema. graphql 16's `validate` does not check it (17
 * adds KnownOperationTypesRule): without this rule a mutation validates against a schema with no
 * Mutation type, because no field can be checked against a missing parent.
 */
export function KnownOperationTypesRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      if (schema.getRootType(node.operation)) return;
      context.reportError(new GraphQLError(`The schema has no ${node.operation} type: it does not support ${node.operation} operations.`, { nodes: node }));
    },
  };
}
