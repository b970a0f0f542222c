import {
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  parse,
  typeFromAST,
  valueFromASTUntyped,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues, getDirectiveValues } from 'graphql/execution/values';

/** `@listSize` of the IBM GraphQL cost spec, as Apollo Router and Hive read it. */
export interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
}

/** Per-field and per-type estimates stated in the supergraph with `@cost` and `@listSize`. */
export interface CostDirectives {
  /** `Type.field` → weight */
  fieldWeights: Map<string, number>;
  /** type name → weight */
  typeWeights: Map<string, number>;
  /** `Type.field` → list size */
  listSizes: Map<string, ListSize>;
}

/** Size arguments understood on any list field that states no `@listSize(slicingArguments:)`. */
export const DEFAULT_SLICING_ARGUMENTS = ['first', 'last', 'limit', 'count'];
/** The cost spec's default weight of a mutation's root field. */
const MUTATION_FIELD_WEIGHT = 10;

const COST_SPEC = /^https:\/\/specs\.apollo\.dev\/(cost|demandControl)\/v/;

/**
 * Reads `@cost` and `@listSize` from a supergraph (or any SDL), under the names its `@link` to the
 * cost spec gives them (`@cost`/`@listSize` when imported, `@cost__listSize` when not).
 */
export function readCostDirectives(sdl: string): CostDirectives {
  const document = parse(sdl, { noLocation: true });
  const names = costDirectiveNames(document);
  const directives: CostDirectives = { fieldWeights: new Map(), typeWeights: new Map(), listSizes: new Map() };
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || !('directives' in definition)) continue;
    const typeName = definition.name.value;
    const weight = weightOf(definition.directives, names.cost);
    if (weight !== undefined && definition.kind !== Kind.DIRECTIVE_DEFINITION) directives.typeWeights.set(typeName, weight);
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
        definition.kind !== Kind.OBJECT_TYPE_EXTENSION && definition.kind !== Kind.INTERFACE_TYPE_EXTENSION) continue;
    for (const field of definition.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      const fieldWeight = weightOf(field.directives, names.cost);
      if (fieldWeight !== undefined) directives.fieldWeights.set(coordinate, fieldWeight);
      const listSize = field.directives?.find((directive) => directive.name.value === names.listSize);
      if (listSize) directives.listSizes.set(coordinate, listSizeOf(listSize));
    }
  }
  return directives;
}

function costDirectiveNames(document: DocumentNode): { cost: string; listSize: string } {
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const args = Object.fromEntries((link.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]));
      const spec = typeof args.url === 'string' ? COST_SPEC.exec(args.url) : null;
      if (!spec) continue;
      const namespace = typeof args.as === 'string' ? args.as : spec[1];
      const names = { cost: namespace === 'cost' ? 'cost' : `${namespace}__cost`, listSize: `${namespace}__listSize` };
      for (const imported of Array.isArray(args.import) ? args.import : []) {
        const { name, as } = typeof imported === 'string' ? { name: imported, as: imported } : (imported as { name: string; as?: string });
        const local = (as ?? name).replace(/^@/, '');
        if (name === '@cost') names.cost = local;
        if (name === '@listSize') names.listSize = local;
      }
      return names;
    }
  }
  return { cost: 'cost', listSize: 'listSize' };
}

function weightOf(directives: readonly DirectiveNode[] | undefined, name: string): number | undefined {
  const directive = directives?.find((candidate) => candidate.name.value === name);
  const weight = directive?.arguments?.find((arg) => arg.name.value === 'weight');
  if (!weight) return undefined;
  const value = Number(valueFromASTUntyped(weight.value));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function listSizeOf(directive: DirectiveNode): ListSize {
  const args = Object.fromEntries((directive.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]));
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined);
  return {
    assumedSize: typeof args.assumedSize === 'number' && args.assumedSize >= 0 ? args.assumedSize : undefined,
    slicingArguments: strings(args.slicingArguments),
    sizedFields: strings(args.sizedFields),
  };
}

/** The field's arguments; values that do not coerce (checked elsewhere) give no size. */
function argumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    return {};
  }
}

interface Walk {
  variables: Record<string, unknown>;
  fragments: Record<string, FragmentDefinitionNode>;
  visiting: Set<string>;
  mutationType: GraphQLCompositeType | null | undefined;
}

/** Items given to the fields a `@listSize(sizedFields:)` names (a connection's `edges`). */
interface Sized {
  fields: ReadonlySet<string>;
  size: number;
}

/**
 * The cost of an operation in the model of the IBM GraphQL cost spec, which Apollo Router's demand
 * control and Hive use: an object, interface or union field costs 1 (scalars and enums 0, a
 * mutation's root field 10) unless `@cost` says otherwise, and a list field costs its items times
 * the cost of one item. The number of items is the largest size argument the operation gives
 * (`@listSize(slicingArguments:)`, else `first`/`last`/`limit`/`count`), else the field's
 * `@listSize(assumedSize:)`, else the configured default. Introspection is never costed, as
 * graphql-armor's own cost rule skips it: tools send the standard introspection query as is.
 * Fragments on several types of an abstract field all count (an upper bound).
 */
export class OperationCostModel {
  /** Argument names whose value can change a cost (for the cost cache's key). */
  readonly slicingArguments: readonly string[];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly defaultListSize: number,
    private readonly directives: CostDirectives = { fieldWeights: new Map(), typeWeights: new Map(), listSizes: new Map() },
  ) {
    const names = new Set(DEFAULT_SLICING_ARGUMENTS);
    for (const listSize of directives.listSizes.values()) for (const name of listSize.slicingArguments ?? []) names.add(name);
    this.slicingArguments = [...names];
  }

  /** `variables` must be coerced already (see variable-coercion.ts). */
  costOf(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    const rootType = this.schema.getRootType(operation.operation);
    if (!rootType) return 0;
    const walk: Walk = { variables, fragments, visiting: new Set(), mutationType: this.schema.getMutationType() };
    return this.selectionSetCost(rootType, operation.selectionSet, walk);
  }

  private selectionSetCost(parentType: GraphQLCompositeType, selectionSet: SelectionSetNode, walk: Walk, sized?: Sized): number {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (!this.included(selection, walk.variables)) continue;
      if (selection.kind === Kind.FIELD) {
        total += this.fieldCost(parentType, selection, walk, sized);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? typeFromAST(this.schema, selection.typeCondition) : parentType;
        if (type && isCompositeType(type)) total += this.selectionSetCost(type, selection.selectionSet, walk, sized);
      } else {
        const name = selection.name.value;
        const fragment = walk.fragments[name];
        if (!fragment || walk.visiting.has(name)) continue;
        const type = typeFromAST(this.schema, fragment.typeCondition);
        if (!type || !isCompositeType(type)) continue;
        walk.visiting.add(name);
        total += this.selectionSetCost(type, fragment.selectionSet, walk, sized);
        walk.visiting.delete(name);
      }
    }
    return total;
  }

  private fieldCost(parentType: GraphQLCompositeType, node: FieldNode, walk: Walk, sized?: Sized): number {
    const name = node.name.value;
    if (name.startsWith('__')) return 0;
    if (!isObjectType(parentType) && !isInterfaceType(parentType)) return 0;
    const field = parentType.getFields()[name];
    if (!field) return 0;
    const coordinate = `${parentType.name}.${name}`;
    const itemType = getNamedType(field.type);
    const args = argumentsOf(field, node, walk.variables);
    const listSize = this.directives.listSizes.get(coordinate);
    const sliced = this.slicedSize(args, listSize);

    const weight =
      this.directives.fieldWeights.get(coordinate) ??
      (parentType === walk.mutationType ? MUTATION_FIELD_WEIGHT : undefined) ??
      this.directives.typeWeights.get(itemType.name) ??
      (isCompositeType(itemType) ? 1 : 0);
    const childSized = listSize?.sizedFields && sliced !== undefined ? { fields: new Set(listSize.sizedFields), size: sliced } : undefined;
    const children = node.selectionSet && isCompositeType(itemType) ? this.selectionSetCost(itemType, node.selectionSet, walk, childSized) : 0;
    if (!isListType(getNullableType(field.type))) return weight + children;

    const items =
      (sized?.fields.has(name) ? sized.size : undefined) ??
      (listSize?.sizedFields ? undefined : sliced) ??
      listSize?.assumedSize ??
      this.defaultListSize;
    return items * (weight + children);
  }

  /** The largest slicing argument given, if any. */
  private slicedSize(args: Record<string, unknown>, listSize: ListSize | undefined): number | undefined {
    const sizes = (listSize?.slicingArguments ?? DEFAULT_SLICING_ARGUMENTS)
      .map((name) => args[name])
      .filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
    return sizes.length > 0 ? Math.max(0, ...sizes) : undefined;
  }

  private included(selection: SelectionNode, variables: Record<string, unknown>): boolean {
    if (getDirectiveValues(GraphQLSkipDirective, selection, variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.if !== false;
  }
}
