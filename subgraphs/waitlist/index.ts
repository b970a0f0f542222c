import { withSubscriptions } from '../../kernel/live/subgraph-part';
import { loadTypeDefs, type SubgraphDefinition } from '../../kernel/subgraph/definition';
import { createWaitlistLoaders, type WaitlistLoaders } from './loaders';
import { permissions } from './permissions';
import { resolvers } from './resolvers';
import { waitlistSubscriptions } from './subscriptions';

/** The waitlist subgraph: session capacity and the queues of people waiting for a seat. */
export const waitlistSubgraph: SubgraphDefinition<WaitlistLoaders> = {
  name: 'waitlist',
  typeDefs: loadTypeDefs(__dirname),
  ...withSubscriptions({ resolvers, permissions }, waitlistSubscriptions),
  createLoaders: (em) => createWaitlistLoaders(em),
};
