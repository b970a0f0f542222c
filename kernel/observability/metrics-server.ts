import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sameBytes } from '../auth/same-bytes';
import type { Logger } from '../logger';
import { collectProcessMetrics, metricsRegistry } from './metrics';

export interface MetricsServerOptions {
  host: string;
  port: number;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token?: string;
  logger: Logger;
}

export interface RunningMetricsServer {
  url: string;
  port: number;
  dispose(): Promise<void>;
}

function authorized(header: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  return sameBytes(header ?? '', `Bearer ${token}`);
}

/**
 * Serves the process's metrics on `GET /metrics` of a port of its own (METRICS_PORT): never on the
 * port clients reach /graphql on, so nothing of it is public where only the gateway is published.
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<RunningMetricsServer> {
  collectProcessMetrics();
  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are served on GET /metrics.\n');
      return;
    }
    if (!authorized(req.headers.authorization, options.token)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' }).end('A bearer token is required.\n');
      return;
    }
    try {
      const body = await metricsRegistry.metrics();
      res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      options.logger.error({ err: error }, 'metrics could not be collected');
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics could not be collected.\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${host}:${port}/metrics`;
  options.logger.info({ url, token: Boolean(options.token) }, 'metrics served');
  return {
    url,
    port,
    dispose: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Starts the metrics server an entry point's config asks for (METRICS_ENABLED, METRICS_HOST, METRICS_PORT, METRICS_TOKEN). */
export async function serveProcessMetrics(
  config: { enabled: boolean; host: string; port: number; token?: string },
  logger: Logger,
): Promise<RunningMetricsServer | undefined> {
  if (!config.enabled) return undefined;
  return startMetricsServer({ host: config.host, port: config.port, token: config.token, logger });
}
