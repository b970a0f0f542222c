// First: tracing must wrap ioredis before anything loads it.
import { stopTracing } from '../kernel/observability/register-tracing';
import { loadConfig } from '../kernel/config';
import { createLogger } from '../kernel/logger';
import { Shutdown } from '../kernel/shutdown';
import { serveProcessMetrics } from '../kernel/observability/metrics-server';
import { startGateway } from './server';
import { readSupergraph } from './supergraph';

/**
 * Runs the gateway alone on GATEWAY_PORT: the committed supergraph, or SUPERGRAPH_FILE with any
 * composed supergraph (its own routing URLs are kept for subgraphs that are not ours).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { component: 'gateway' });
  const supergraphSdl = await readSupergraph(config.gateway.supergraphFile);
  const shutdown = new Shutdown(logger);
  shutdown.handleSignals();
  shutdown.register('tracing', stopTracing);
  const metrics = await serveProcessMetrics(config.metrics, logger);
  if (metrics) shutdown.register('metrics', () => metrics.dispose());
  const gateway = await startGateway({
    config,
    logger,
    supergraphSdl,
    subgraphUrls: config.gateway.supergraphFile ? explicitUrls() : config.subgraphs.urls,
  });
  shutdown.register('gateway', () => gateway.dispose());
}

/** With a foreign supergraph, only URLs set explicitly in the environment override its routing. */
function explicitUrls(): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const name of ['offers', 'ads', 'waitlist', 'analytics']) {
    const value = process.env[`${name.toUpperCase()}_URL`];
    if (value) urls[name] = value;
  }
  return urls;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
