import type { ASTNode, GraphQLError } from 'graphql';
import type { CompositionSuccess } from '@apollo/composition';
import type { SubgraphSource } from './compose';
import { displayPath } from './sources';

/** Where something is: a subgraph and a line and column in one of its files (1-based). */
export interface SourceLocation {
  subgraph?: string;
  file: string;
  line: number;
  column: number;
}

type CompositionHint = CompositionSuccess['hints'][number];

/** A composition error or hint, or a lint finding. */
export interface Diagnostic {
  severity: 'error' | 'warning' | 'hint';
  code: string;
  message: string;
  locations: SourceLocation[];
}

/** Finds which subgraph a file belongs to, for nodes composition did not tag with their subgraph. */
export function subgraphOfFile(subgraphs: SubgraphSource[]): (file: string) => string | undefined {
  const owners = new Map<string, string>();
  for (const subgraph of subgraphs) {
    for (const file of subgraph.files ?? []) owners.set(displayPath(file.path), subgraph.name);
    owners.set(`<${subgraph.name}>`, subgraph.name);
  }
  return (file) => owners.get(file);
}

/** Where a node is: past its description, if it has one, so that the line shows the definition itself. */
export function locationOf(node: ASTNode, ownerOf: (file: string) => string | undefined): SourceLocation | undefined {
  if (!node.loc) return undefined;
  const file = node.loc.source.name;
  const tagged = (node as ASTNode & { subgraph?: string }).subgraph;
  const description = 'description' in node ? node.description : undefined;
  const start = description?.loc?.endToken.next ?? node.loc.startToken;
  return { subgraph: tagged ?? ownerOf(file), file, line: start.line, column: start.column };
}

function locationsOf(nodes: readonly ASTNode[] | undefined, ownerOf: (file: string) => string | undefined): SourceLocation[] {
  return (nodes ?? []).map((node) => locationOf(node, ownerOf)).filter((at): at is SourceLocation => at !== undefined);
}

export function compositionErrorDiagnostic(error: GraphQLError, ownerOf: (file: string) => string | undefined): Diagnostic {
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'COMPOSITION_ERROR';
  return { severity: 'error', code, message: error.message, locations: errorLocations(error, ownerOf) };
}

/** Composition errors carry AST nodes; syntax errors carry only their source and positions. */
function errorLocations(error: GraphQLError, ownerOf: (file: string) => string | undefined): SourceLocation[] {
  if (error.nodes?.length) return locationsOf(error.nodes, ownerOf);
  const file = error.source?.name;
  if (!file) return [];
  return (error.locations ?? []).map(({ line, column }) => ({ subgraph: ownerOf(file), file, line, column }));
}

export function compositionHintDiagnostic(hint: CompositionHint, ownerOf: (file: string) => string | undefined): Diagnostic {
  return { severity: 'hint', code: hint.definition.code, message: hint.message, locations: locationsOf(hint.nodes, ownerOf) };
}

/** `offers subgraphs/offers/schema.graphql:12:3` */
export function formatLocation(at: SourceLocation): string {
  return `${at.subgraph ? `${at.subgraph} ` : ''}${at.file}:${at.line}:${at.column}`;
}

/** `error [FIELD_TYPE_MISMATCH] message\n    at offers subgraphs/offers/schema.graphql:12:3` */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const head = `${diagnostic.severity} [${diagnostic.code}] ${diagnostic.message}`;
  return [head, ...diagnostic.locations.map((at) => `    at ${formatLocation(at)}`)].join('\n');
}
