import path from 'node:path';
import { composeServices, type CompositionResult } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPH_NAMES, type SubgraphName } from '../kernel/config';
import { readSubgraphSdl } from '../kernel/subgraph/sdl';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const SUPERGRAPH_PATH = path.join(REPO_ROOT, 'schema', 'supergraph.graphql');

/** The routing URL written into the supergraph; the gateway replaces it from OFFERS_URL and friends. */
const DEFAULT_PORTS: Record<SubgraphName, number> = { offers: 4001, ads: 4002, waitlist: 4003, analytics: 4004 };

export interface SubgraphSource {
  name: string;
  sdl: string;
  url: string;
}

/** The subgraph SDLs of the working tree, optionally with one replaced by a proposed schema. */
export function workingTreeSubgraphs(overrides: Partial<Record<string, string>> = {}): SubgraphSource[] {
  return SUBGRAPH_NAMES.map((name) => ({
    name,
    sdl: overrides[name] ?? readSubgraphSdl(path.join(REPO_ROOT, 'subgraphs', name)),
    url: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
  }));
}

/** Composes subgraphs into a supergraph with @apollo/composition. */
export function compose(subgraphs: SubgraphSource[]): CompositionResult {
  return composeServices(
    subgraphs.map(({ name, sdl, url }) => ({ name, url, typeDefs: parse(sdl, { noLocation: false }) })),
  );
}
