import { withSubscriptions } from '../../kernel/live/subgraph-part';
import { loadTypeDefs, type SubgraphDefinition } from '../../kernel/subgraph/definition';
import { startMonetizationConsumer } from './ingestion/consumer';
import { createAnalyticsLoaders, type AnalyticsLoaders } from './loaders';
import { permissions } from './permissions';
import { resolvers } from './resolvers';
import { startReportScheduling } from './schedules/jobs';
import { analyticsSubscriptions } from './subscriptions';
import { analyticsConfig } from './config';

/** The analytics subgraph: monetization facts ingested from the other subgraphs, for organizers. */
export const analyticsSubgraph: SubgraphDefinition<AnalyticsLoaders> = {
  name: 'analytics',
  typeDefs: loadTypeDefs(__dirname),
  config: analyticsConfig,
  ...withSubscriptions({ resolvers, permissions }, analyticsSubscriptions),
  createLoaders: (em) => createAnalyticsLoaders(em),
  startWorkers: async (runtime) => [await startMonetizationConsumer(runtime), ...(await startReportScheduling(runtime))],
};
