import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/** The outside contract's operations folder, beside the repository (`../shared/contract/operations`). */
export const CONTRACT_OPERATIONS_DIR = path.resolve(__dirname, '../../../shared/contract/operations');

/** The contract's operations file `file` (e.g. ads.graphql), parsed. */
export function contractDocument(file: string): DocumentNode {
  const location = path.join(CONTRACT_OPERATIONS_DIR, file);
  if (!existsSync(location)) throw new Error(`The contract's operations are not at ${location}.`);
  return parse(readFileSync(location, 'utf8'));
}

/** One named operation of a contract file, as text to send. */
export function contractOperation(file: string, name: string): string {
  return print(operationNamed(contractDocument(file), name));
}

export function operationNamed(document: DocumentNode, name: string): OperationDefinitionNode {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name,
  );
  if (!operation) throw new Error(`No operation named ${name} in the contract.`);
  return operation;
}

/**
 * The fields a contract operation selects under `fieldPath` (e.g. `['event', 'ads']`), printed, for
 * checking one subgraph's part of an operation that spans several.
 */
export function contractSelection(file: string, name: string, fieldPath: string[]): string {
  let selectionSet: SelectionSetNode | undefined = operationNamed(contractDocument(file), name).selectionSet;
  for (const fieldName of fieldPath) {
    const field: FieldNode | undefined = selectionSet?.selections.find(
      (selection): selection is FieldNode => selection.kind === Kind.FIELD && selection.name.value === fieldName,
    );
    if (!field) throw new Error(`${name} selects no ${fieldPath.join('.')}.`);
    selectionSet = field.selectionSet;
  }
  return (selectionSet?.selections ?? []).map((selection) => print(selection)).join(' ');
}
