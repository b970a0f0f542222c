import { withSubscriptions } from '../../kernel/live/subgraph-part';
import { loadTypeDefs, type SubgraphDefinition } from '../../kernel/subgraph/definition';
import { createOffersLoaders, type OffersLoaders } from './loaders';
import { permissions } from './permissions';
import { resolvers } from './resolvers';
import { offersSubscriptions } from './subscriptions';

/** The offers subgraph: upsells of events, their inventory and purchases. */
export const offersSubgraph: SubgraphDefinition<OffersLoaders> = {
  name: 'offers',
  typeDefs: loadTypeDefs(__dirname),
  ...withSubscriptions({ resolvers, permissions }, offersSubscriptions),
  createLoaders: (em) => createOffersLoaders(em),
};
