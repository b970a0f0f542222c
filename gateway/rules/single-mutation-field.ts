import { GraphQLError, Kind, type ValidationContext, type SelectionSetNode, type ASTVisitor } from 'graphql';

/**
 * One mutation field per operation. graphql-js runs the fields of a mutation one after another
 * and a failure of a non-null field nulls the whole `data`, so `{ buy: purchaseOffer(…) join:
 * joinWaitlist(…) }` answered `data: null` while the purchase had committed (issue 23). With one
 * field per operation the answer always tells what committed: the field's result, or its error and
 * nothing written. `__typename` does not count.
 */
export function SingleMutationFieldRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation !== 'mutation') return;
      if (rootFieldCount(context, node.selectionSet, new Set()) > 1) {
        context.reportError(
          new GraphQLError('A mutation operation may run only one mutation field: send each mutation in its own request, so its answer tells what committed.', {
            nodes: node,
          }),
        );
      }
    },
  };
}

function rootFieldCount(context: ValidationContext, selectionSet: SelectionSetNode, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += rootFieldCount(context, selection.selectionSet, seen);
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += rootFieldCount(context, fragment.selectionSet, seen);
    }
  }
  return count;
}
