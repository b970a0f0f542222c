// First: tracing must wrap pg and ioredis before anything loads them.
import { stopTracing } from '../kernel/observability/register-tracing';
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../kernel/config';
import { createLogger } from '../kernel/logger';
import { createRuntime } from '../kernel/runtime';
import { serveProcessMetrics } from '../kernel/observability/metrics-server';
import { allEntities } from './entities';
import { configSectionsOf } from './registry';
import { serveSubgraphs } from './serve';

/** Runs one subgraph as its own process: `node dist/subgraphs/main.js offers` (or SUBGRAPH=offers). */
async function main(): Promise<void> {
  const name = (process.argv[2] ?? process.env.SUBGRAPH) as SubgraphName | undefined;
  if (!name || !SUBGRAPH_NAMES.includes(name)) {
    throw new Error(`Name the subgraph to run, one of ${SUBGRAPH_NAMES.join(', ')} (argument or SUBGRAPH).`);
  }
  const config = loadConfig(process.env, configSectionsOf([name]));
  const logger = createLogger(config.logLevel, { subgraph: name });
  if (config.mode === 'embedded') {
    logger.warn('no DATABASE_URL, REDIS_URL or KAFKA_BROKERS: this subgraph runs on in-process stand-ins');
  }
  const runtime = await createRuntime(config, logger, { entities: allEntities });
  runtime.shutdown.handleSignals();
  runtime.shutdown.register('tracing', stopTracing, { last: true });
  const metrics = await serveProcessMetrics(config.metrics, logger);
  if (metrics) runtime.shutdown.register('metrics', () => metrics.dispose());
  await serveSubgraphs(runtime, [name]);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
