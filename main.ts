// First: tracing must wrap pg and ioredis before anything loads them.
import { stopTracing } from './kernel/observability/register-tracing';
import { loadConfig, SUBGRAPH_NAMES } from './kernel/config';
import { createLogger } from './kernel/logger';
import { createRuntime } from './kernel/runtime';
import { applySeed } from './kernel/platform/seed';
import { serveProcessMetrics } from './kernel/observability/metrics-server';
import { playDemoActivity, demoAttendees } from './demo/activity';
import { demoPlatform } from './demo/platform';
import { seedDemoCatalog } from './demo/seed';
import { ensureDashboardBuilt } from './gateway/dashboard-build';
import { startGateway } from './gateway/server';
import { readSupergraph } from './gateway/supergraph';
import { allEntities } from './subgraphs/entities';
import { configSectionsOf } from './subgraphs/registry';
import { serveSubgraphs } from './subgraphs/serve';

/**
 * `npm start`: the four subgraphs and the gateway in one process. With no DATABASE_URL, REDIS_URL or
 * KAFKA_BROKERS it runs on embedded stand-ins seeded with demo data.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, configSectionsOf());
  const logger = createLogger(config.logLevel);
  // Production refuses to start without all three services (kernel/stand-ins.ts), so never seeds demo data.
  const embedded = config.mode === 'embedded' && config.env !== 'production';
  if (embedded) {
    logger.info(
      'EMBEDDED MODE: in-process PostgreSQL (PGlite), in-process Redis stand-in and in-process event bus, seeded with demo data. Nothing is persisted.',
    );
    logger.info(
      'To use real services set DATABASE_URL=postgres://..., REDIS_URL=redis://... and KAFKA_BROKERS=host:port (see README).',
    );
  }
  logger.info(`gateway will listen on http://127.0.0.1:${config.gateway.port}/graphql`);
  await ensureDashboardBuilt(config.gateway.dashboardDir, logger);
  const runtime = await createRuntime(config, logger, { entities: allEntities, seed: embedded ? demoPlatform : undefined });
  runtime.shutdown.handleSignals();
  runtime.shutdown.register('tracing', stopTracing, { last: true });
  const metrics = await serveProcessMetrics(config.metrics, logger);
  if (metrics) runtime.shutdown.register('metrics', () => metrics.dispose());
  if (embedded) {
    await seedDemoCatalog(runtime.orm);
    await applySeed(runtime.orm, demoAttendees);
  }
  const subgraphs = await serveSubgraphs(runtime, [...SUBGRAPH_NAMES]);
  const gateway = await startGateway({
    config,
    logger,
    supergraphSdl: await readSupergraph(config.gateway.supergraphFile),
    subgraphUrls: Object.fromEntries(subgraphs.map((subgraph) => [subgraph.name, subgraph.url])),
  });
  runtime.shutdown.register('gateway', () => gateway.dispose());
  if (embedded) {
    // The demo is only a demo: a refusal here is logged, never a reason not to start.
    await playDemoActivity({ gatewayUrl: gateway.url, jwtSecret: config.auth.jwtSecret, logger }).catch((error) =>
      logger.warn({ err: error }, 'demo activity failed; the dashboard starts without it'),
    );
  }
  logger.info({ url: gateway.url }, `supergraph ready at ${gateway.url}`);
  logger.info(`dashboard at ${gateway.url.replace(/\/graphql$/, '/')}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
