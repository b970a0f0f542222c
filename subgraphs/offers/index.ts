import { loadTypeDefs, type SubgraphDefinition } from '../../kernel/subgraph/definition';
import { startScheduler } from './jobs/scheduler';
import { createOffersLoaders, type OffersLoaders } from './loaders';
import { permissions } from './permissions';
import { resolvers } from './resolvers';
import { offersServicesOf } from './services';
import { stripeWebhookRouter } from './stripe-webhook';

/** The offers subgraph: upsells of events, their inventory, purchases, payments and fulfillment. */
export const offersSubgraph: SubgraphDefinition<OffersLoaders> = {
  name: 'offers',
  typeDefs: loadTypeDefs(__dirname),
  resolvers,
  permissions,
  createLoaders: (em) => createOffersLoaders(em),
  startWorkers: async (runtime) => {
    const services = offersServicesOf(runtime);
    const scheduler = await startScheduler({
      redisUrl: runtime.config.redis.url,
      queueName: 'offers-maintenance',
      jobs: services.maintenance.jobs(runtime.config.offers),
      logger: runtime.logger.child({ subgraph: 'offers', component: 'scheduler' }),
    });
    return [scheduler];
  },
  addRoutes: (app, runtime) => {
    const services = offersServicesOf(runtime);
    app.use(
      stripeWebhookRouter({
        webhookSecret: runtime.config.stripe.webhookSecret,
        orm: runtime.orm,
        settlement: services.settlement,
        logger: runtime.logger.child({ subgraph: 'offers', component: 'stripe-webhook' }),
      }),
    );
  },
};
