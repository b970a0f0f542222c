import { Kind, parse, type OperationDefinitionNode, type TypeNode } from 'graphql';
import type { TrustedDocumentManifest } from '../trusted-documents';

/** One GraphiQL tab: an operation with variables that run against the demo data. */
export interface ExampleTab {
  query: string;
  variables: string;
}

/** Values of the embedded demo (demo/platform.json) for the variables the operations use. */
const DEMO_VALUES: Record<string, unknown> = {
  eventId: 'ev-private',
  sessionId: 's-keynote',
  placement: 'lobby-banner',
  format: 'CSV',
  quantity: 1,
  count: 1,
  total: 10,
  first: 20,
  limit: 10,
};

const KIND_ORDER: Record<string, number> = { query: 0, subscription: 1, mutation: 2 };

/**
 * The operations clients send (the contract's and the project's, as compiled into the trusted
 * documents manifest) as GraphiQL tabs: queries first, then subscriptions, then mutations, by name.
 * Variables take the demo's ids where the name says which (`eventId`, `sessionId`), the last 30 days
 * for `from`/`to`, and an empty value of their type otherwise, for the developer to fill in.
 */
export function exampleTabs(manifest: TrustedDocumentManifest, today = new Date()): ExampleTab[] {
  const dates: Record<string, string> = {
    from: new Date(today.getTime() - 30 * 86_400_000).toISOString().slice(0, 10),
    to: today.toISOString().slice(0, 10),
  };
  return Object.values(manifest)
    .map(({ operationName, document }) => {
      const operation = parse(document).definitions.find(
        (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
      );
      const variables = Object.fromEntries(
        (operation?.variableDefinitions ?? []).map((definition) => {
          const name = definition.variable.name.value;
          return [name, dates[name] ?? DEMO_VALUES[name] ?? placeholder(definition.type)];
        }),
      );
      return { operationName, kind: operation?.operation ?? 'query', query: document, variables };
    })
    .sort((a, b) => KIND_ORDER[a.kind]! - KIND_ORDER[b.kind]! || a.operationName.localeCompare(b.operationName))
    .map(({ query, variables }) => ({ query, variables: JSON.stringify(variables, null, 2) }));
}

function placeholder(type: TypeNode): unknown {
  if (type.kind === Kind.NON_NULL_TYPE) return placeholder(type.type);
  if (type.kind === Kind.LIST_TYPE) return [];
  switch (type.name.value) {
    case 'Int':
    case 'Float':
      return 0;
    case 'Boolean':
      return false;
    case 'ID':
    case 'String':
      return '';
    default:
      return null;
  }
}
