import { writeFileSync } from 'node:fs';
import { compose, SUPERGRAPH_PATH, workingTreeSubgraphs } from './compose';

/** `npm run schema:compose`: writes schema/supergraph.graphql from the subgraph SDLs. */
function main(): void {
  const result = compose(workingTreeSubgraphs());
  for (const hint of result.hints ?? []) {
    console.log(`hint [${hint.definition.code}] ${hint.message}`);
  }
  if (result.errors) {
    for (const error of result.errors) {
      const where = error.nodes
        ?.map((node) => (node.loc ? `${node.loc.source.name}:${node.loc.startToken.line}` : undefined))
        .filter(Boolean)
        .join(', ');
      console.error(`error [${error.extensions?.code ?? 'COMPOSITION'}] ${error.message}${where ? ` (at ${where})` : ''}`);
    }
    process.exit(1);
  }
  writeFileSync(SUPERGRAPH_PATH, result.supergraphSdl);
  console.log(`wrote ${SUPERGRAPH_PATH}`);
}

main();
