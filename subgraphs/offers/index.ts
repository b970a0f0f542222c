import { withSubscriptions } from '../../kernel/live/subgraph-part';
import { loadTypeDefs, type SubgraphDefinition } from '../../kernel/subgraph/definition';
import { startScheduler } from '../../kernel/jobs/scheduler';
import { createOffersLoaders, type OffersLoaders } from './loaders';
import { permissions } from './permissions';
import { resolvers } from './resolvers';
import { offersSubscriptions } from './subscriptions';
import { createOffersServices, type OffersServices } from './services';
import { stripeWebhookRouter } from './payments/stripe-webhook';
import { offersConfig } from './config';

/** The offers subgraph: upsells of events, their inventory, purchases, payments and fulfillment. */
export const offersSubgraph: SubgraphDefinition<OffersLoaders, OffersServices> = {
  name: 'offers',
  typeDefs: loadTypeDefs(__dirname),
  config: offersConfig,
  ...withSubscriptions({ resolvers, permissions }, offersSubscriptions),
  createLoaders: (em) => createOffersLoaders(em),
  createServices: createOffersServices,
  startWorkers: async (runtime, services) => {
    const scheduler = await startScheduler({
      redis: runtime.config.redis,
      queueName: 'offers-maintenance',
      jobs: services.maintenance.jobs(offersConfig.of(runtime.config)),
      logger: runtime.logger.child({ subgraph: 'offers', component: 'scheduler' }),
    });
    return [scheduler];
  },
  addRoutes: (app, runtime, services) => {
    app.use(
      stripeWebhookRouter({
        webhookSecret: offersConfig.of(runtime.config).stripe.webhookSecret,
        orm: runtime.orm,
        settlement: services.settlement,
        logger: runtime.logger.child({ subgraph: 'offers', component: 'stripe-webhook' }),
      }),
    );
  },
};
