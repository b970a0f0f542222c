import { loadTypeDefs, type SubgraphDefinition } from '../../kernel/subgraph/definition';
import { createOffersLoaders, type OffersLoaders } from './loaders';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

/** The offers subgraph: upsells of events, their inventory and purchases. */
export const offersSubgraph: SubgraphDefinition<OffersLoaders> = {
  name: 'offers',
  typeDefs: loadTypeDefs(__dirname),
  resolvers,
  permissions,
  createLoaders: (em) => createOffersLoaders(em),
};
