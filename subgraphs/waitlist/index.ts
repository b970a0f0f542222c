import { loadTypeDefs, type SubgraphDefinition } from '../../kernel/subgraph/definition';
import { createWaitlistLoaders, type WaitlistLoaders } from './loaders';
import { permissions } from './permissions';
import { resolvers } from './resolvers';

/** The waitlist subgraph: session capacity and the queues of people waiting for a seat. */
export const waitlistSubgraph: SubgraphDefinition<WaitlistLoaders> = {
  name: 'waitlist',
  typeDefs: loadTypeDefs(__dirname),
  resolvers,
  permissions,
  createLoaders: (em) => createWaitlistLoaders(em),
};
