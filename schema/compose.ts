import path from 'node:path';
import { composeServices, type CompositionResult } from '@apollo/composition';
import { Kind, parse, Source, type DefinitionNode, type DocumentNode } from 'graphql';
import { SUBGRAPH_NAMES, type SubgraphName } from '../kernel/config';
import { displayPath, readSubgraphFiles, type SdlFile } from './sources';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const SUPERGRAPH_PATH = path.join(REPO_ROOT, 'schema', 'supergraph.graphql');

/** The routing URL written into the supergraph; the gateway replaces it from OFFERS_URL and friends. */
const DEFAULT_PORTS: Record<SubgraphName, number> = { offers: 4001, ads: 4002, waitlist: 4003, analytics: 4004 };

export interface SubgraphSource {
  name: string;
  sdl: string;
  url: string;
  /**
   * The files `sdl` was read from, in order. When present, each is parsed on its own so that
   * composition errors and lint findings point at a line and column of the right file.
   */
  files?: SdlFile[];
}

/** The routing URL composition writes for a subgraph of this repository (or a placeholder for a new one). */
export function defaultRoutingUrl(name: string): string {
  const port = DEFAULT_PORTS[name as SubgraphName];
  return port ? `http://127.0.0.1:${port}/graphql` : `http://${name}.invalid/graphql`;
}

/** A subgraph made of SDL files, in the order given. */
export function subgraphFromFiles(name: string, files: SdlFile[], url = defaultRoutingUrl(name)): SubgraphSource {
  return { name, url, files, sdl: files.map((file) => file.sdl).join('\n') };
}

/** The subgraph SDLs of the working tree, optionally with one replaced by a proposed schema. */
export function workingTreeSubgraphs(overrides: Partial<Record<string, string>> = {}): SubgraphSource[] {
  return SUBGRAPH_NAMES.map((name) => {
    const override = overrides[name];
    if (override !== undefined) return { name, sdl: override, url: defaultRoutingUrl(name) };
    return subgraphFromFiles(name, readSubgraphFiles(path.join(REPO_ROOT, 'subgraphs', name)));
  });
}

/**
 * A subgraph's SDL as one document whose nodes keep the file they came from: the definitions of
 * every file, each parsed with its own `Source` (named by the file's path, or by the subgraph).
 */
export function subgraphDocument(subgraph: SubgraphSource): DocumentNode {
  const files = subgraph.files ?? [{ path: `<${subgraph.name}>`, sdl: subgraph.sdl }];
  const definitions: DefinitionNode[] = files.flatMap(
    (file) => parse(new Source(file.sdl, displayPath(file.path))).definitions,
  );
  return { kind: Kind.DOCUMENT, definitions };
}

/** Composes subgraphs into a supergraph with @apollo/composition. */
export function compose(subgraphs: SubgraphSource[]): CompositionResult {
  return composeServices(subgraphs.map((subgraph) => ({ name: subgraph.name, url: subgraph.url, typeDefs: subgraphDocument(subgraph) })));
}
