import { withSubscriptions } from '../../kernel/live/subgraph-part';
import { loadTypeDefs, type SubgraphDefinition } from '../../kernel/subgraph/definition';
import { permissions } from './permissions';
import { resolvers } from './resolvers';
import { analyticsSubscriptions } from './subscriptions';

/** The analytics subgraph: monetization facts ingested from the other subgraphs, for organizers. */
export const analyticsSubgraph: SubgraphDefinition<Record<string, never>> = {
  name: 'analytics',
  typeDefs: loadTypeDefs(__dirname),
  ...withSubscriptions({ resolvers, permissions }, analyticsSubscriptions),
  createLoaders: () => ({}),
};
