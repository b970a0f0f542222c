import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { REPO_ROOT, subgraphFromFiles, SUPERGRAPH_PATH, workingTreeSubgraphs, type SubgraphSource } from './compose';
import { readSdlFile, readSubgraphFiles, subgraphFolders } from './sources';

/** Options shared by `schema:check` and `schema:lint`; see `--help` of each. */
export const SUBGRAPH_OPTIONS = {
  subgraph: { type: 'string' },
  schema: { type: 'string' },
  'subgraphs-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export class UsageError extends Error {}

export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: false, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The proposed subgraphs: those of the working tree (or of `--subgraphs-dir`, one folder per
 * subgraph), with `--subgraph <name> --schema <file>` replacing one (or adding a new one).
 */
export function selectSubgraphs(values: { subgraph?: string; schema?: string; 'subgraphs-dir'?: string }): SubgraphSource[] {
  if ((values.subgraph === undefined) !== (values.schema === undefined)) throw new UsageError('--subgraph and --schema go together');
  const dir = values['subgraphs-dir'];
  const subgraphs = dir ? subgraphFolders(path.resolve(dir)).map((name) => subgraphFromFiles(name, readSubgraphFiles(path.resolve(dir, name)))) : workingTreeSubgraphs();
  if (!values.subgraph || !values.schema) return subgraphs;
  if (!existsSync(values.schema)) throw new UsageError(`--schema ${values.schema}: no such file`);
  const proposed = subgraphFromFiles(values.subgraph, [readSdlFile(values.schema)]);
  const known = subgraphs.some((subgraph) => subgraph.name === values.subgraph);
  return known ? subgraphs.map((subgraph) => (subgraph.name === values.subgraph ? proposed : subgraph)) : [...subgraphs, proposed];
}

/**
 * The supergraph to compare with: `--base <file>`, `--base-ref <git revision>`, or by default the
 * committed `schema/supergraph.graphql` (at HEAD, so that a freshly run `schema:compose` does not
 * hide the changes), falling back to the file when git cannot say.
 */
export function readBaseSupergraph(values: { base?: string; 'base-ref'?: string }): { sdl: string; label: string } {
  if (values.base && values['base-ref']) throw new UsageError('--base and --base-ref exclude each other');
  if (values.base) {
    if (!existsSync(values.base)) throw new UsageError(`--base ${values.base}: no such file`);
    return { sdl: readFileSync(values.base, 'utf8'), label: values.base };
  }
  const relative = path.relative(REPO_ROOT, SUPERGRAPH_PATH);
  const ref = values['base-ref'] ?? 'HEAD';
  try {
    const sdl = execFileSync('git', ['show', `${ref}:${relative}`], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { sdl, label: `${relative} at ${ref}` };
  } catch (error) {
    if (values['base-ref']) throw new UsageError(`cannot read ${relative} at ${ref}: ${(error as { stderr?: string }).stderr?.trim() ?? error}`);
    return { sdl: readFileSync(SUPERGRAPH_PATH, 'utf8'), label: relative };
  }
}
