import type { ConfigSection, SubgraphName } from '../kernel/config';
import type { SubgraphDefinition } from '../kernel/subgraph/definition';
import { adsSubgraph } from './ads';
import { analyticsSubgraph } from './analytics';
import { offersSubgraph } from './offers';
import { waitlistSubgraph } from './waitlist';

/** The four subgraphs by name, in the order the supergraph lists them. */
export const subgraphs: Record<SubgraphName, SubgraphDefinition<any, any, any>> = {
  offers: offersSubgraph,
  ads: adsSubgraph,
  waitlist: waitlistSubgraph,
  analytics: analyticsSubgraph,
};

/** The config sections of the named subgraphs (all four by default), to hand to `loadConfig`. */
export function configSectionsOf(names: readonly SubgraphName[] = Object.keys(subgraphs) as SubgraphName[]): ConfigSection<unknown>[] {
  return names.map((name) => subgraphs[name].config);
}
