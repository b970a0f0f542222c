import { withSubscriptions } from '../../kernel/live/subgraph-part';
import { loadTypeDefs, type SubgraphDefinition } from '../../kernel/subgraph/definition';
import { createWaitlistLoaders, type WaitlistLoaders } from './loaders';
import { permissions } from './permissions';
import { resolvers } from './resolvers';
import { createWaitlistRequestServices, createWaitlistServices, type WaitlistRequestServices, type WaitlistServices } from './services';
import { startOfferSweeper } from './sweeper';
import { waitlistSubscriptions } from './subscriptions';
import { waitlistConfig } from './config';

/** The waitlist subgraph: session capacity, the queues of people waiting for a seat, and their offers. */
export const waitlistSubgraph: SubgraphDefinition<WaitlistLoaders, WaitlistServices, WaitlistRequestServices> = {
  name: 'waitlist',
  typeDefs: loadTypeDefs(__dirname),
  config: waitlistConfig,
  ...withSubscriptions({ resolvers, permissions }, waitlistSubscriptions),
  createServices: createWaitlistServices,
  createLoaders: (em, _access, _identity, services) => createWaitlistLoaders(em, services),
  createRequestServices: createWaitlistRequestServices,
  startWorkers: async (runtime, services) => [startOfferSweeper(runtime.orm, services, waitlistConfig.of(runtime.config).sweepIntervalMs)],
};
