import { at, directivesNamed, fieldSignature, type LintFinding, type LintRule, type LintSubgraph, type SubgraphType } from './model';

interface Definition {
  subgraph: LintSubgraph;
  type: SubgraphType;
}

function isEntity({ subgraph, type }: Definition): boolean {
  return directivesNamed(subgraph, type.directives, 'key').length > 0;
}

function isExternal({ subgraph, type }: Definition, field: string): boolean {
  return directivesNamed(subgraph, type.fields.get(field)?.directives, 'external').length > 0;
}

/**
 * No `@shareable` conflicts. A value type shared by several subgraphs has the same fields in each
 * (otherwise the gateway cannot answer a field of it when the object comes from a subgraph that
 * lacks the field), and a field resolved by several subgraphs has the same type and arguments in
 * each (composition accepts compatible differences with only a hint, and clients see the loosest).
 */
export const shareableConsistency: LintRule = (subgraphs) => {
  const findings: LintFinding[] = [];
  const byName = new Map<string, Definition[]>();
  for (const subgraph of subgraphs) {
    for (const type of subgraph.types.values()) {
      if (type.kind !== 'object' || subgraph.rootTypes.has(type.name)) continue;
      byName.set(type.name, [...(byName.get(type.name) ?? []), { subgraph, type }]);
    }
  }
  for (const [name, definitions] of byName) {
    if (definitions.length < 2) continue;
    const valueType = !definitions.some(isEntity);
    const fieldNames = new Set(definitions.flatMap(({ type }) => [...type.fields.keys()]));
    for (const field of fieldNames) {
      const having = definitions.filter((definition) => definition.type.fields.has(field) && !isExternal(definition, field));
      if (valueType) {
        for (const lacking of definitions.filter((definition) => !definition.type.fields.has(field))) {
          findings.push({
            severity: 'error',
            code: 'SHAREABLE_FIELDS_DIFFER',
            message: `shareable type ${name} has no field ${field} in ${lacking.subgraph.name}, but has it in ${having.map((definition) => definition.subgraph.name).join(', ')}`,
            locations: at(lacking.subgraph, lacking.type.nodes[0]),
          });
        }
      }
      const signatures = new Set(having.map((definition) => fieldSignature(definition.type.fields.get(field)!)));
      if (signatures.size > 1) {
        findings.push({
          severity: 'error',
          code: 'SHAREABLE_FIELD_TYPES_DIFFER',
          message: `${name}.${field} differs across subgraphs: ${having.map((definition) => `${definition.subgraph.name} has ${field}${fieldSignature(definition.type.fields.get(field)!)}`).join('; ')}`,
          locations: having.flatMap((definition) => at(definition.subgraph, definition.type.fields.get(field)!)),
        });
      }
    }
  }
  return findings;
};
