import { Kind, parse, print, type ConstDirectiveNode, type SelectionSetNode } from 'graphql';
import { argumentValue, at, directivesNamed, type LintFinding, type LintRule, type LintSubgraph, type SubgraphType } from './model';

interface KeyUse {
  subgraph: LintSubgraph;
  directive: ConstDirectiveNode;
  resolvable: boolean;
}

function keySelection(fields: string): SelectionSetNode | undefined {
  try {
    const [operation] = parse(`{ ${fields} }`, { noLocation: true }).definitions;
    return operation.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet : undefined;
  } catch {
    return undefined;
  }
}

/** The key's fields this subgraph's type does not have, as dotted paths (`address.city`). */
function missingKeyFields(subgraph: LintSubgraph, type: SubgraphType, selection: SelectionSetNode, prefix = ''): string[] {
  return selection.selections.flatMap((selected) => {
    if (selected.kind !== Kind.FIELD) return [];
    const field = type.fields.get(selected.name.value);
    const name = `${prefix}${selected.name.value}`;
    if (!field) return [name];
    if (!selected.selectionSet) return [];
    let named = field.type;
    while (named.kind !== Kind.NAMED_TYPE) named = named.type;
    const nested = subgraph.types.get(named.name.value);
    return nested ? missingKeyFields(subgraph, nested, selected.selectionSet, `${name}.`) : [name];
  });
}

/**
 * Every entity key can be resolved: its fields exist where it is declared, and a key some
 * subgraph only references (`resolvable: false`) is resolvable in at least one subgraph, or the
 * gateway could never fetch the entity from a reference.
 */
export const entityKeys: LintRule = (subgraphs) => {
  const findings: LintFinding[] = [];
  const uses = new Map<string, Map<string, KeyUse[]>>();
  for (const subgraph of subgraphs) {
    for (const type of subgraph.types.values()) {
      for (const directive of directivesNamed(subgraph, type.directives, 'key')) {
        const fields = argumentValue(directive, 'fields');
        const selection = typeof fields === 'string' ? keySelection(fields) : undefined;
        if (!selection) {
          findings.push({ severity: 'error', code: 'ENTITY_KEY_INVALID', message: `@key on ${type.name} in ${subgraph.name} has no valid "fields" selection`, locations: at(subgraph, directive) });
          continue;
        }
        const missing = missingKeyFields(subgraph, type, selection);
        if (missing.length > 0) {
          findings.push({
            severity: 'error',
            code: 'ENTITY_KEY_INVALID',
            message: `@key(fields: "${fields}") on ${type.name} selects ${missing.join(', ')}, which ${type.name} does not have in ${subgraph.name}`,
            locations: at(subgraph, directive),
          });
        }
        const key = print(selection).replace(/\s+/g, ' ');
        const byKey = uses.get(type.name) ?? new Map<string, KeyUse[]>();
        byKey.set(key, [...(byKey.get(key) ?? []), { subgraph, directive, resolvable: argumentValue(directive, 'resolvable') !== false }]);
        uses.set(type.name, byKey);
      }
    }
  }
  for (const [typeName, byKey] of uses) {
    for (const [key, keyUses] of byKey) {
      if (keyUses.some((use) => use.resolvable)) continue;
      findings.push({
        severity: 'error',
        code: 'ENTITY_KEY_UNRESOLVABLE',
        message: `${typeName} is referenced by key ${key} (resolvable: false) in ${keyUses.map((use) => use.subgraph.name).join(', ')}, but no subgraph resolves ${typeName} by that key`,
        locations: keyUses.flatMap((use) => at(use.subgraph, use.directive)),
      });
    }
  }
  return findings;
};
