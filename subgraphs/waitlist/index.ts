import { loadTypeDefs, type SubgraphDefinition } from '../../kernel/subgraph/definition';
import { createWaitlistLoaders, type WaitlistLoaders } from './loaders';
import { permissions } from './permissions';
import { resolvers } from './resolvers';
import { registerWaitlistServices } from './services';
import { startOfferSweeper } from './sweeper';

/** The waitlist subgraph: session capacity, the queues of people waiting for a seat, and their offers. */
export const waitlistSubgraph: SubgraphDefinition<WaitlistLoaders> = {
  name: 'waitlist',
  typeDefs: loadTypeDefs(__dirname),
  resolvers,
  permissions,
  createLoaders: (em, access, identity) => createWaitlistLoaders(em, access, identity),
  startWorkers: async (runtime) => {
    const services = registerWaitlistServices(runtime);
    return [startOfferSweeper(runtime.orm, services, runtime.config.waitlist.sweepIntervalMs)];
  },
};
