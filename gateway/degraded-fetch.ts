import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, parse, type DocumentNode, type SelectionSetNode } from 'graphql';

const MESSAGE = 'A service behind the gateway is unavailable; try again shortly.';

interface Representation {
  __typename?: unknown;
}

/** The response keys a selection set asks for on a type (inline fragments on it or untyped included). */
function responseKeys(selectionSet: SelectionSetNode, typename: string | null): string[] {
  const keys: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      if (key !== '__typename' && !keys.includes(key)) keys.push(key);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition?.name.value;
      if (on === undefined || typename === null || on === typename) {
        for (const key of responseKeys(selection.selectionSet, typename)) if (!keys.includes(key)) keys.push(key);
      }
    }
  }
  return keys;
}

/**
 * What a fetch to a subgraph that could not answer (refused, timed out, cut off, non-2xx) becomes:
 * no data and one SERVICE_DEGRADED error per field the fetch was to fill, at that field's path.
 * @apollo/gateway maps `_entities` paths back to where each entity sits in the client's response,
 * so the client sees the fields of the failing subgraph null with an error at exactly their path,
 * and everything the other subgraphs answered in place (a thrown fetch error has no path at all).
 */
export function degradedResponse(
  request: { query?: string; variables?: Record<string, unknown> },
  document: DocumentNode | undefined,
): GatewayGraphQLResponse {
  const operation = (document ?? parse(request.query ?? '{ __typename }')).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const errors: { message: string; path: (string | number)[]; extensions: { code: string } }[] = [];
  const push = (path: (string | number)[]) => errors.push({ message: MESSAGE, path, extensions: { code: 'SERVICE_DEGRADED' } });
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return { errors: [{ message: MESSAGE, extensions: { code: 'SERVICE_DEGRADED' } }] };

  const entities = operation.selectionSet.selections.find(
    (selection) => selection.kind === Kind.FIELD && selection.name.value === '_entities',
  );
  if (entities?.kind === Kind.FIELD && entities.selectionSet) {
    const representations = (request.variables?.representations ?? []) as Representation[];
    representations.forEach((representation, index) => {
      const typename = typeof representation.__typename === 'string' ? representation.__typename : null;
      for (const key of responseKeys(entities.selectionSet!, typename)) push(['_entities', index, key]);
    });
  } else {
    for (const key of responseKeys(operation.selectionSet, null)) push([key]);
  }
  return errors.length > 0 ? { errors } : { errors: [{ message: MESSAGE, extensions: { code: 'SERVICE_DEGRADED' } }] };
}
