import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The committed supergraph composed by `npm run schema:compose`. */
export const DEFAULT_SUPERGRAPH_FILE = path.resolve(__dirname, '..', 'schema', 'supergraph.graphql');

export async function readSupergraph(file = DEFAULT_SUPERGRAPH_FILE): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new Error(`The supergraph file ${file} could not be read: ${(cause as Error).message}`);
  }
}
