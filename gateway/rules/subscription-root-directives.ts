import { GraphQLError, Kind, validate, type ASTVisitor, type DocumentNode, type GraphQLSchema, type SelectionSetNode, type ValidationContext } from 'graphql';

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

/**
 * graphql-js's own SingleFieldSubscriptionsRule throws (rather than reporting) on
 * `@include(if: $variable)` at a subscription's root, aborting the whole validation; so this rule
 * runs alone first, and a document it refuses never reaches the full validation.
 */
export function refuseConditionalSubscriptionRoot(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
  if (!document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'subscription')) return [];
  return validate(schema, document, [SubscriptionRootDirectivesRule]);
}
