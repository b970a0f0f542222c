import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** One file of SDL. `path` is absolute, or a label for SDL that did not come from a file. */
export interface SdlFile {
  path: string;
  sdl: string;
}

const ROOT = path.resolve(__dirname, '..');

/**
 * A path as messages show it: relative to the repository when inside it or beside it (the
 * contract's `../shared/…`), absolute otherwise.
 */
export function displayPath(file: string): string {
  if (!path.isAbsolute(file)) return file;
  const relative = path.relative(ROOT, file);
  return relative.startsWith(`..${path.sep}..`) ? file : relative;
}

/**
 * A subgraph folder's SDL files in the order the subgraph server reads them
 * (`kernel/subgraph/sdl.ts`): `schema.graphql` first, then the other `*.graphql` files by name.
 */
export function readSubgraphFiles(folder: string): SdlFile[] {
  const extra = readdirSync(folder)
    .filter((file) => file.endsWith('.graphql') && file !== 'schema.graphql')
    .sort();
  return ['schema.graphql', ...extra].map((file) => readSdlFile(path.join(folder, file)));
}

export function readSdlFile(file: string): SdlFile {
  const absolute = path.resolve(file);
  return { path: absolute, sdl: readFileSync(absolute, 'utf8') };
}

/** The names of the subgraph folders (those holding a `schema.graphql`) under `dir`, sorted. */
export function subgraphFolders(dir: string): string[] {
  return readdirSync(dir)
    .filter((entry) => {
      const folder = path.join(dir, entry);
      return statSync(folder).isDirectory() && readdirSync(folder).includes('schema.graphql');
    })
    .sort();
}
