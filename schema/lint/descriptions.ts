import type { ASTNode } from 'graphql';
import { at, directivesNamed, type LintFinding, type LintRule, type LintSubgraph, type SubgraphType } from './model';

function isInaccessible(subgraph: LintSubgraph, type: SubgraphType): boolean {
  return directivesNamed(subgraph, type.directives, 'inaccessible').length > 0;
}

/**
 * Public types and root fields carry a description (the dashboard's developers read the schema,
 * not our code). One subgraph describing a shared type is enough: composition merges descriptions.
 */
export const descriptions: LintRule = (subgraphs) => {
  const findings: LintFinding[] = [];
  const types = new Map<string, { subgraph: LintSubgraph; type: SubgraphType }[]>();
  for (const subgraph of subgraphs) {
    for (const type of subgraph.types.values()) {
      if (subgraph.rootTypes.has(type.name)) continue;
      types.set(type.name, [...(types.get(type.name) ?? []), { subgraph, type }]);
    }
  }
  for (const [name, definitions] of types) {
    if (definitions.some(({ type }) => type.described) || definitions.some(({ subgraph, type }) => isInaccessible(subgraph, type))) continue;
    const { subgraph, type } = definitions[0];
    findings.push({ severity: 'warning', code: 'MISSING_DESCRIPTION', message: `type ${name} has no description`, locations: at(subgraph, type.nodes[0]) });
  }
  const rootFields = new Map<string, { subgraph: LintSubgraph; described: boolean; node: ASTNode }[]>();
  for (const subgraph of subgraphs) {
    for (const root of subgraph.rootTypes) {
      for (const field of subgraph.types.get(root)?.fields.values() ?? []) {
        const coordinate = `${root}.${field.name.value}`;
        rootFields.set(coordinate, [...(rootFields.get(coordinate) ?? []), { subgraph, described: Boolean(field.description?.value.trim()), node: field }]);
      }
    }
  }
  for (const [coordinate, definitions] of rootFields) {
    if (definitions.some((definition) => definition.described)) continue;
    findings.push({ severity: 'warning', code: 'MISSING_DESCRIPTION', message: `root field ${coordinate} has no description`, locations: at(definitions[0].subgraph, definitions[0].node) });
  }
  return findings;
};
