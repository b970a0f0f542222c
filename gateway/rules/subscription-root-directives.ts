import { GraphQLError, Kind, type ValidationContext, type ASTVisitor, type SelectionSetNode } from 'graphql';

const CONDITIONAL = new Set(['skip', 'include']);

/**
 * `@skip` and `@include` may not decide a subscription's root field (GraphQL spec, "Single root
 * field"): the event source must be known before variables are. graphql-js 16 does not check it,
 * and the subscription planner failed on it with an internal error (issue 23).
 */
export function SubscriptionRootDirectivesRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (node.operation !== 'subscription') return;
      if (hasConditionalRoot(context, node.selectionSet, new Set())) {
        context.reportError(
          new GraphQLError('@skip and @include may not be used on the root field of a subscription (or on fragments holding it).', {
            nodes: node,
          }),
        );
      }
    },
  };
}

function hasConditionalRoot(context: ValidationContext, selectionSet: SelectionSetNode, seen: Set<string>): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.directives?.some((directive) => CONDITIONAL.has(directive.name.value))) return true;
    if (selection.kind === Kind.FIELD) return false;
    if (selection.kind === Kind.INLINE_FRAGMENT) return hasConditionalRoot(context, selection.selectionSet, seen);
    if (seen.has(selection.name.value)) return false;
    seen.add(selection.name.value);
    const fragment = context.getFragment(selection.name.value);
    return fragment ? hasConditionalRoot(context, fragment.selectionSet, seen) : false;
  });
}
