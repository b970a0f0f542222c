import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A subgraph's SDL: `schema.graphql` first (it holds the federation `@link`), then any other
 * `*.graphql` file of its folder (for example `subscriptions.graphql` beside `subscriptions.ts`),
 * in name order.
 */
export function readSubgraphSdl(folder: string): string {
  const extra = readdirSync(folder)
    .filter((file) => file.endsWith('.graphql') && file !== 'schema.graphql')
    .sort();
  return ['schema.graphql', ...extra].map((file) => readFileSync(path.join(folder, file), 'utf8')).join('\n');
}
