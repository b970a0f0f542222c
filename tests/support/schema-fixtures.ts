import path from 'node:path';
import { compose, subgraphFromFiles, type SubgraphSource } from '../../schema/compose';
import { readSdlFile, readSubgraphFiles, subgraphFolders } from '../../schema/sources';

/** Fixtures of the schema check: a small consistent repository, its operations and proposed changes. */
export const SCHEMA_FIXTURES = path.resolve(__dirname, '../fixtures/schema');
export const FIXTURE_SUBGRAPHS_DIR = path.join(SCHEMA_FIXTURES, 'repo');
export const FIXTURE_OPERATIONS = path.join(SCHEMA_FIXTURES, 'operations', '*.graphql');

export function proposalPath(name: string): string {
  return path.join(SCHEMA_FIXTURES, 'proposals', `${name}.graphql`);
}

/** The fixture repository's subgraphs, with the offers subgraph replaced by a proposal when named. */
export function fixtureSubgraphs(offersProposal?: string): SubgraphSource[] {
  return subgraphFolders(FIXTURE_SUBGRAPHS_DIR).map((name) =>
    name === 'offers' && offersProposal
      ? subgraphFromFiles(name, [readSdlFile(proposalPath(offersProposal))])
      : subgraphFromFiles(name, readSubgraphFiles(path.join(FIXTURE_SUBGRAPHS_DIR, name))),
  );
}

/** The fixture repository's supergraph, as its committed `supergraph.graphql` would be. */
export function fixtureSupergraph(): string {
  const result = compose(fixtureSubgraphs());
  if (result.supergraphSdl === undefined) throw new Error(`the fixture repository does not compose: ${result.errors.map((error) => error.message).join('; ')}`);
  return result.supergraphSdl;
}
