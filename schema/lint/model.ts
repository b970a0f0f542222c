import {
  Kind,
  print,
  type ASTNode,
  type ConstDirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  type TypeDefinitionNode,
  type TypeExtensionNode,
} from 'graphql';
import { locationOf, type Diagnostic, type SourceLocation } from '../diagnostics';

type TypeKind = 'object' | 'interface' | 'input' | 'enum' | 'union' | 'scalar';

/** A type of one subgraph, its definition and extensions merged. */
export interface SubgraphType {
  name: string;
  kind: TypeKind;
  nodes: (TypeDefinitionNode | TypeExtensionNode)[];
  described: boolean;
  directives: ConstDirectiveNode[];
  /** Fields of object and interface types, or input fields of input types; the first definition of a name wins. */
  fields: Map<string, FieldDefinitionNode | InputValueDefinitionNode>;
}

/** One subgraph's SDL as the lint rules read it. */
export interface LintSubgraph {
  name: string;
  types: Map<string, SubgraphType>;
  rootTypes: Set<string>;
  /** The local name of a federation directive (`key` → `key`, or `federation__key` when not imported). */
  directiveName(federationName: string): string;
}

const KINDS: Partial<Record<Kind, TypeKind>> = {
  [Kind.OBJECT_TYPE_DEFINITION]: 'object',
  [Kind.OBJECT_TYPE_EXTENSION]: 'object',
  [Kind.INTERFACE_TYPE_DEFINITION]: 'interface',
  [Kind.INTERFACE_TYPE_EXTENSION]: 'interface',
  [Kind.INPUT_OBJECT_TYPE_DEFINITION]: 'input',
  [Kind.INPUT_OBJECT_TYPE_EXTENSION]: 'input',
  [Kind.ENUM_TYPE_DEFINITION]: 'enum',
  [Kind.ENUM_TYPE_EXTENSION]: 'enum',
  [Kind.UNION_TYPE_DEFINITION]: 'union',
  [Kind.UNION_TYPE_EXTENSION]: 'union',
  [Kind.SCALAR_TYPE_DEFINITION]: 'scalar',
  [Kind.SCALAR_TYPE_EXTENSION]: 'scalar',
};

/**
 * Federation directives as this subgraph names them: imported by `@link(url: ".../federation/…",
 * import: ["@key", { name: "@shareable", as: "@share" }])`, or prefixed `federation__` when not.
 */
function federationDirectiveNames(document: DocumentNode): (federationName: string) => string {
  const imported = new Map<string, string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      const url = link.arguments?.find((argument) => argument.name.value === 'url')?.value;
      if (link.name.value !== 'link' || url?.kind !== Kind.STRING || !url.value.includes('specs.apollo.dev/federation')) continue;
      const imports = link.arguments?.find((argument) => argument.name.value === 'import')?.value;
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        if (entry.kind === Kind.STRING) imported.set(entry.value.replace(/^@/, ''), entry.value.replace(/^@/, ''));
        if (entry.kind !== Kind.OBJECT) continue;
        const field = (name: string) => entry.fields.find((candidate) => candidate.name.value === name)?.value;
        const name = field('name');
        const as = field('as');
        if (name?.kind === Kind.STRING) imported.set(name.value.replace(/^@/, ''), as?.kind === Kind.STRING ? as.value.replace(/^@/, '') : name.value.replace(/^@/, ''));
      }
    }
  }
  return (federationName) => imported.get(federationName) ?? `federation__${federationName}`;
}

function rootTypesOf(document: DocumentNode): Set<string> {
  const roots = new Map([['query', 'Query'], ['mutation', 'Mutation'], ['subscription', 'Subscription']]);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const operationType of definition.operationTypes ?? []) roots.set(operationType.operation, operationType.type.name.value);
  }
  return new Set(roots.values());
}

/** Reads a subgraph's document (see `subgraphDocument`) into the shape the lint rules use. */
export function lintSubgraph(name: string, document: DocumentNode): LintSubgraph {
  const types = new Map<string, SubgraphType>();
  for (const definition of document.definitions) {
    const kind = KINDS[definition.kind];
    if (!kind) continue;
    const node = definition as TypeDefinitionNode | TypeExtensionNode;
    const type: SubgraphType = types.get(node.name.value) ?? { name: node.name.value, kind, nodes: [], described: false, directives: [], fields: new Map() };
    type.nodes.push(node);
    type.described ||= 'description' in node && Boolean(node.description?.value.trim());
    type.directives.push(...(node.directives ?? []));
    const fields = 'fields' in node ? (node.fields ?? []) : [];
    for (const field of fields) if (!type.fields.has(field.name.value)) type.fields.set(field.name.value, field);
    types.set(type.name, type);
  }
  return { name, types, rootTypes: rootTypesOf(document), directiveName: federationDirectiveNames(document) };
}

export function directivesNamed(subgraph: LintSubgraph, nodes: readonly ConstDirectiveNode[] | undefined, federationName: string): ConstDirectiveNode[] {
  const local = subgraph.directiveName(federationName);
  return (nodes ?? []).filter((directive) => directive.name.value === local);
}

/** A directive's argument as its literal value (strings and booleans are all the rules need). */
export function argumentValue(directive: ConstDirectiveNode, name: string): string | boolean | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  if (value?.kind === Kind.STRING || value?.kind === Kind.BOOLEAN) return value.value;
  return undefined;
}

/** A field's type and arguments as SDL, to compare definitions across subgraphs. */
export function fieldSignature(field: FieldDefinitionNode | InputValueDefinitionNode): string {
  const args = 'arguments' in field && field.arguments?.length ? `(${field.arguments.map((argument) => `${argument.name.value}: ${print(argument.type)}`).join(', ')})` : '';
  return `${args}: ${print(field.type)}`;
}

export function at(subgraph: LintSubgraph, node: ASTNode): SourceLocation[] {
  const location = locationOf(node, () => subgraph.name);
  return location ? [location] : [];
}

export type LintFinding = Diagnostic & { severity: 'error' | 'warning' };

/** A lint rule reads every subgraph at once: several rules compare subgraphs with each other. */
export type LintRule = (subgraphs: LintSubgraph[]) => LintFinding[];
