import {
  getNamedType,
  isInputObjectType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** What an operation touches in a schema, as schema coordinates. */
export interface OperationUsage {
  /** `Type`, `Type.field`, `Type.field.arg`, `Input.field`, `@directive.arg`. */
  coordinates: Set<string>;
  /** The coordinate each field, argument, variable use and input field of the document stands for. */
  coordinateOf: Map<ASTNode, string>;
}

const VALUE_KINDS = new Set<Kind>([Kind.VARIABLE, Kind.INT, Kind.FLOAT, Kind.STRING, Kind.BOOLEAN, Kind.NULL, Kind.ENUM, Kind.LIST, Kind.OBJECT]);

/** A named type and, for input objects, every type their fields reach: a variable carries all of it. */
function addTypeAndInputs(type: GraphQLNamedType | undefined, into: Set<string>): void {
  if (!type || into.has(type.name)) return;
  into.add(type.name);
  if (!isInputObjectType(type)) return;
  for (const field of Object.values(type.getFields())) addTypeAndInputs(getNamedType(field.type), into);
}

/**
 * Walks an operation with graphql's TypeInfo and collects the coordinates it uses. Fields the
 * schema does not have still get a coordinate from their parent type, so a field removed from the
 * schema is named when validation reports it.
 */
export function operationUsage(schema: GraphQLSchema, document: DocumentNode): OperationUsage {
  const coordinates = new Set<string>();
  const coordinateOf = new Map<ASTNode, string>();
  const typeInfo = new TypeInfo(schema);
  // Whose arguments are being visited: a field's coordinate or a directive's `@name`.
  const owners: string[] = [];
  // The argument or input field whose value is being visited.
  const values: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        const root = getNamedType(typeInfo.getType() ?? undefined);
        // A missing root type is named as it conventionally would be, for the error that reports it.
        coordinateOf.set(node, root?.name ?? `${node.operation[0].toUpperCase()}${node.operation.slice(1)}`);
        addTypeAndInputs(root, coordinates);
      },
      VariableDefinition: (node) => void addTypeAndInputs(getNamedType(typeFromAST(schema, node.type)), coordinates),
      InlineFragment: () => void addTypeAndInputs(getNamedType(typeInfo.getType() ?? undefined), coordinates),
      FragmentDefinition: () => void addTypeAndInputs(getNamedType(typeInfo.getType() ?? undefined), coordinates),
      Field: {
        enter(node) {
          const parent = typeInfo.getParentType();
          const coordinate = `${parent?.name ?? '?'}.${node.name.value}`;
          owners.push(coordinate);
          coordinateOf.set(node, coordinate);
          if (!parent || node.name.value.startsWith('__')) return;
          coordinates.add(parent.name);
          coordinates.add(coordinate);
          const type = typeInfo.getType();
          if (type) coordinates.add(getNamedType(type).name);
        },
        leave: () => void owners.pop(),
      },
      Directive: {
        enter(node) {
          owners.push(`@${node.name.value}`);
          coordinateOf.set(node, `@${node.name.value}`);
        },
        leave: () => void owners.pop(),
      },
      Argument: {
        enter(node) {
          const coordinate = `${owners.at(-1)}.${node.name.value}`;
          values.push(coordinate);
          coordinateOf.set(node, coordinate);
          coordinates.add(coordinate);
          const type = typeInfo.getInputType();
          if (type) addTypeAndInputs(getNamedType(type), coordinates);
        },
        leave: () => void values.pop(),
      },
      ObjectField: {
        enter(node) {
          const parent = typeInfo.getParentInputType();
          const coordinate = `${parent ? getNamedType(parent).name : '?'}.${node.name.value}`;
          values.push(coordinate);
          coordinateOf.set(node, coordinate);
          coordinates.add(coordinate);
        },
        leave: () => void values.pop(),
      },
      NamedType: (node) => void coordinateOf.set(node, node.name.value),
      // Values (variables, enum values, literals) stand for the argument or input field holding them.
      enter(node) {
        if (VALUE_KINDS.has(node.kind) && values.length > 0) coordinateOf.set(node, values.at(-1)!);
      },
    }),
  );
  return { coordinates, coordinateOf };
}
