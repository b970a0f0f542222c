import { loadTypeDefs, type SubgraphDefinition } from '../../kernel/subgraph/definition';
import { createAdsServices, type AdsServices } from './services';
import { createAdsLoaders, type AdsLoaders } from './loaders';
import { permissions } from './permissions';
import { resolvers } from './resolvers';
import { adsConfig } from './config';

/** The ads subgraph: sponsor creatives, their serving and their tracking. */
export const adsSubgraph: SubgraphDefinition<AdsLoaders, AdsServices> = {
  name: 'ads',
  typeDefs: loadTypeDefs(__dirname),
  config: adsConfig,
  resolvers,
  permissions,
  createLoaders: (em) => createAdsLoaders(em),
  createServices: createAdsServices,
};
