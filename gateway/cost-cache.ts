import { Kind, visit, type DocumentNode } from 'graphql';
import { setNewest } from '../kernel/bounded-map';

/** Longest cache key kept; a longer one (a huge value in a size variable) is costed every time. */
const MAX_KEY_LENGTH = 256;

/**
 * Remembers the cost of an operation, so that the document walk runs once per shape rather than
 * once per request: Apollo Server hands the same parsed document to every request of the same
 * query text. The key is the operation name and the values of the only variables that can change
 * the cost (those given to a list-size argument or to `@skip`/`@include`), never the whole
 * variables object: a client could otherwise pin megabytes (and people's inputs) in memory. One
 * bound covers every document; the oldest entries go first.
 */
export class OperationCostCache {
  private readonly costs = new Map<string, number>();
  private readonly documentIds = new WeakMap<DocumentNode, { id: number; costVariables: string[] }>();
  private nextDocumentId = 0;

  constructor(
    private readonly sizeArguments: readonly string[],
    private readonly maxEntries = 10_000,
  ) {}

  costOf(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>, compute: () => number): number {
    const { id, costVariables } = this.describe(document);
    const key = `${id}:${JSON.stringify([operationName ?? null, ...costVariables.map((name) => variables[name] ?? null)])}`;
    if (key.length > MAX_KEY_LENGTH) return compute();
    const cached = this.costs.get(key);
    if (cached !== undefined) return cached;
    const cost = compute();
    setNewest(this.costs, key, cost, this.maxEntries);
    return cost;
  }

  get size(): number {
    return this.costs.size;
  }

  private describe(document: DocumentNode): { id: number; costVariables: string[] } {
    let described = this.documentIds.get(document);
    if (!described) {
      described = { id: this.nextDocumentId++, costVariables: this.costVariablesOf(document) };
      this.documentIds.set(document, described);
    }
    return described;
  }

  private costVariablesOf(document: DocumentNode): string[] {
    const names = new Set<string>();
    const sizeArguments = this.sizeArguments;
    visit(document, {
      Argument(node, _key, _parent, _path, ancestors) {
        if (node.value.kind !== Kind.VARIABLE) return;
        const owner = ancestors[ancestors.length - 1];
        const onDirective = !Array.isArray(owner) && (owner as { kind?: string }).kind === Kind.DIRECTIVE;
        if (onDirective || sizeArguments.includes(node.name.value)) names.add(node.value.name.value);
      },
    });
    return [...names].sort();
  }
}
