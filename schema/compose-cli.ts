import { writeFileSync } from 'node:fs';
import { SUPERGRAPH_PATH, workingTreeSubgraphs } from './compose';
import { composeWithDiagnostics } from './composition';
import { formatDiagnostic } from './diagnostics';

/**
 * `npm run schema:compose`: writes schema/supergraph.graphql from the subgraph SDLs, printing
 * composition hints and errors with the subgraph, file, line and column they point at.
 */
function main(): void {
  const composition = composeWithDiagnostics(workingTreeSubgraphs());
  for (const hint of composition.hints) console.log(formatDiagnostic(hint));
  for (const error of composition.errors) console.error(formatDiagnostic(error));
  if (composition.supergraphSdl === undefined) {
    console.error(`composition failed with ${composition.errors.length} error(s); ${SUPERGRAPH_PATH} is unchanged`);
    process.exit(1);
  }
  writeFileSync(SUPERGRAPH_PATH, composition.supergraphSdl);
  console.log(`wrote ${SUPERGRAPH_PATH}`);
}

main();
