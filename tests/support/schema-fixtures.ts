import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROPOSALS, proposedSchema, type ProposalName } from '../fixtures/schema/proposals';
import { compose, subgraphFromFiles, type SubgraphSource } from '../../schema/compose';
import { readSdlFile, readSubgraphFiles, subgraphFolders } from '../../schema/sources';

/** Fixtures of the schema check: a small consistent repository, its operations and proposed changes. */
export const SCHEMA_FIXTURES = path.resolve(__dirname, '../fixtures/schema');
export const FIXTURE_SUBGRAPHS_DIR = path.join(SCHEMA_FIXTURES, 'repo');
export const FIXTURE_OPERATIONS = path.join(SCHEMA_FIXTURES, 'operations', '*.graphql');

/** Where a proposal is, as a file of its own (written from `PROPOSALS` the first time it is asked for). */
export function proposalPath(name: ProposalName): string {
  const file = path.join(os.tmpdir(), `schema-proposals-${process.pid}`, `${name}.graphql`);
  const current = readFileSync(path.join(FIXTURE_SUBGRAPHS_DIR, 'offers', 'schema.graphql'), 'utf8');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, proposedSchema(current, PROPOSALS[name]));
  renameSync(`${file}.tmp`, file);
  return file;
}

/** The fixture repository's subgraphs, with the offers subgraph replaced by a proposal when named. */
export function fixtureSubgraphs(offersProposal?: ProposalName): SubgraphSource[] {
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
