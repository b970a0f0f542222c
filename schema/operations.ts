import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  GraphQLError,
  Kind,
  parse,
  Source,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { displayPath } from './sources';

/** One operation of an operation file, as a document holding it and the fragments it spreads. */
export interface Operation {
  name: string;
  file: string;
  node: OperationDefinitionNode;
  document: DocumentNode;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/**
 * The `.graphql` files a pattern names: a file, a folder (its `*.graphql`), or a folder followed by
 * a name with `*` and `?` wildcards (`schema/operations/*.graphql`). Relative to `cwd`.
 */
export function operationFiles(pattern: string, cwd: string): string[] {
  const absolute = path.resolve(cwd, pattern);
  if (existsSync(absolute) && statSync(absolute).isDirectory()) return operationFiles(path.join(pattern, '*.graphql'), cwd);
  if (!/[*?]/.test(path.basename(absolute))) return existsSync(absolute) ? [absolute] : [];
  const folder = path.dirname(absolute);
  if (/[*?]/.test(folder) || !existsSync(folder)) return [];
  const matcher = new RegExp(`^${escapeRegExp(path.basename(absolute)).replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  return readdirSync(folder)
    .filter((entry) => matcher.test(entry))
    .sort()
    .map((entry) => path.join(folder, entry));
}

function spreadNames(node: OperationDefinitionNode | FragmentDefinitionNode): string[] {
  const names: string[] = [];
  visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
  return names;
}

/** The fragments an operation needs, following spreads inside fragments too. */
function neededFragments(operation: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const needed = new Map<string, FragmentDefinitionNode>();
  const pending = spreadNames(operation);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    const fragment = fragments.get(name);
    if (!fragment || needed.has(name)) continue;
    needed.set(name, fragment);
    pending.push(...spreadNames(fragment));
  }
  return [...needed.values()];
}

/** An operation file that does not parse. */
export interface UnparsableFile {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

export interface LoadedOperations {
  operations: Operation[];
  unparsable: UnparsableFile[];
}

/**
 * Parses operation files into one document per operation. Fragments are shared across all the
 * files, as a client's build would share them; a spread of an unknown fragment is left for
 * validation to report.
 */
export function loadOperations(files: string[]): LoadedOperations {
  const unparsable: UnparsableFile[] = [];
  const documents: { file: string; document: DocumentNode }[] = [];
  for (const file of files) {
    try {
      documents.push({ file: displayPath(file), document: parse(new Source(readFileSync(file, 'utf8'), displayPath(file))) });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      unparsable.push({ file: displayPath(file), message: error.message, ...error.locations?.[0] });
    }
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { document } of documents) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
  }
  const operations = documents.flatMap(({ file, document }) =>
    document.definitions
      .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
      .map((node, index) => ({
        name: node.name?.value ?? `<anonymous ${node.operation} #${index + 1}>`,
        file,
        node,
        document: { kind: Kind.DOCUMENT as const, definitions: [node, ...neededFragments(node, fragments)] },
      })),
  );
  return { operations, unparsable };
}
