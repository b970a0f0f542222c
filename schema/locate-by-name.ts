import { type ASTNode, type DocumentNode } from 'graphql';
import { subgraphDocument, type SubgraphSource } from './compose';
import { locationOf, type SourceLocation } from './diagnostics';

/** Every definition and extension of a named type, and of its fields, by `Type` and `Type.field`. */
function definitionsByCoordinate(document: DocumentNode): Map<string, ASTNode[]> {
  const byCoordinate = new Map<string, ASTNode[]>();
  const add = (coordinate: string, node: ASTNode) => byCoordinate.set(coordinate, [...(byCoordinate.get(coordinate) ?? []), node]);
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name) continue;
    add(definition.name.value, definition);
    const fields = 'fields' in definition ? (definition.fields ?? []) : [];
    for (const field of fields) add(`${definition.name.value}.${field.name.value}`, field);
  }
  return byCoordinate;
}

/**
 * Locations for a subgraph error composition reports without AST nodes (for example "[analytics]
 * There can be only one type named "Money"", when two files of a subgraph define the type): the
 * definitions, in the subgraph named by the message's prefix, of the types and fields it quotes.
 */
export function locateByName(message: string, subgraphs: SubgraphSource[]): SourceLocation[] {
  const name = /^\[([^\]]+)\]/.exec(message)?.[1];
  const subgraph = subgraphs.find((candidate) => candidate.name === name);
  if (!subgraph) return [];
  let definitions: Map<string, ASTNode[]>;
  try {
    definitions = definitionsByCoordinate(subgraphDocument(subgraph));
  } catch {
    return [];
  }
  const quoted = [...message.matchAll(/"([_A-Za-z][_A-Za-z0-9]*(?:\.[_A-Za-z][_A-Za-z0-9]*)?)"/g)].map((match) => match[1]);
  return [...new Set(quoted)]
    .flatMap((coordinate) => definitions.get(coordinate) ?? [])
    .map((node) => locationOf(node, () => subgraph.name))
    .filter((location): location is SourceLocation => location !== undefined);
}
