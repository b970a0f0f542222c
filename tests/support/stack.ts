import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../../kernel/config';
import { onSqlStatement } from '../../kernel/db/orm';
import { createLogger } from '../../kernel/logger';
import { SeedFile } from '../../kernel/contracts/platform-records';
import { applySeed } from '../../kernel/platform/seed';
import { createRuntime, startRuntimeWorkers, type Runtime } from '../../kernel/runtime';
import { startGateway } from '../../gateway/server';
import { allEntities } from '../../subgraphs/entities';
import { configSectionsOf } from '../../subgraphs/registry';
import { serveSubgraphs } from '../../subgraphs/serve';
import { TEST_JWT_SECRET, TEST_SUBGRAPH_SECRET } from './tokens';


/** The contract's example fixture (kept in the repo as the demo platform data). */
export const fixture = SeedFile.parse(JSON.parse(readFileSync(path.resolve(__dirname, '../../demo/platform.json'), 'utf8')));

export interface StackOptions {
  /** Use the real Kafka broker of the test services (default: in-process bus). */
  kafka?: boolean;
  /** Run the outbox relay and the platform consumer (default: false). */
  workers?: boolean;
  /**
   * Start the subgraphs' own workers: consumers, scheduled jobs, sweepers (default: true). Tests
   * that count the SQL of a request turn them off, so no background pass lands in the count.
   */
  subgraphWorkers?: boolean;
  subgraphs?: SubgraphName[];
  gateway?: boolean;
  env?: Record<string, string>;
}

export interface TestStack {
  runtime: Runtime;
  gatewayUrl: string;
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  /** GraphQL requests the subgraphs have received so far, all together. */
  subgraphRequests(): number;
  /** A running subgraph's per-process services (its `createServices`). */
  servicesOf<T>(name: SubgraphName): T;
  /** Counts SQL statements sent by every subgraph of the stack from now until `stop()`. */
  countSql(): { statements: string[]; stop(): void };
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The runtime config the tests use: the real services, random ports, test secrets. */
export function testConfig(options: StackOptions = {}) {
  return loadConfig(
    {
      ...process.env,
      KAFKA_BROKERS: options.kafka ? process.env.KAFKA_BROKERS : '',
      GATEWAY_PORT: '0',
      GATEWAY_HOST: '127.0.0.1',
      OFFERS_PORT: '0',
      ADS_PORT: '0',
      WAITLIST_PORT: '0',
      ANALYTICS_PORT: '0',
      AUTH_JWT_SECRET: TEST_JWT_SECRET,
      SUBGRAPH_SECRET: TEST_SUBGRAPH_SECRET,
      OUTBOX_POLL_MS: '50',
      SHUTDOWN_DRAIN_MS: '0',
      // Budgets live in Redis across test files; suites that test the limits set their own.
      RATE_LIMIT_PURCHASES_PER_MINUTE: '100000',
      RATE_LIMIT_JOINS_PER_MINUTE: '100000',
      RATE_LIMIT_TRACKING_PER_MINUTE: '100000',
      RATE_LIMIT_EXPORTS_PER_MINUTE: '100000',
      ...options.env,
    },
    configSectionsOf(),
  );
}

/** Starts subgraphs and a gateway in this process against the real PostgreSQL and Redis. */
export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const config = testConfig(options);
  const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
  // Workers start after the first reset: a relay polling before it could publish a message an
  // earlier test file left in the outbox into this file's empty tables.
  const runtime = await createRuntime(config, logger, { entities: allEntities, workers: false });
  const reset = async () => {
    const em = runtime.orm.em.fork();
    const tables = await em.execute<{ tablename: string }[]>(
      `select tablename from pg_tables where schemaname = 'public' and tablename <> 'mikro_orm_migrations'`,
    );
    await em.execute(`truncate table ${tables.map((table) => `"${table.tablename}"`).join(', ')} cascade`);
    await applySeed(runtime.orm, fixture);
  };
  await reset();
  if (options.workers) await startRuntimeWorkers(runtime);
  const running = await serveSubgraphs(runtime, options.subgraphs ?? [...SUBGRAPH_NAMES], {
    portOf: () => 0,
    workers: options.subgraphWorkers,
  });
  const subgraphUrls = Object.fromEntries(running.map((subgraph) => [subgraph.name, subgraph.url]));
  let gatewayUrl = '';
  if (options.gateway !== false) {
    const supergraphSdl = readFileSync(path.resolve(__dirname, '../../schema/supergraph.graphql'), 'utf8');
    const gateway = await startGateway({ config, logger, supergraphSdl, subgraphUrls, port: 0, host: '127.0.0.1' });
    runtime.shutdown.register('gateway', () => gateway.dispose());
    gatewayUrl = gateway.url;
  }
  return {
    runtime,
    gatewayUrl,
    subgraphUrls,
    subgraphRequests: () => running.reduce((total, subgraph) => total + subgraph.requestCount(), 0),
    servicesOf: <T>(name: SubgraphName) => running.find((subgraph) => subgraph.name === name)?.services as T,
    countSql: () => {
      const statements: string[] = [];
      const stop = onSqlStatement(runtime.orm, (sql) => statements.push(sql));
      return { statements, stop };
    },
    reset,
    close: () => runtime.shutdown.dispose(),
  };
}
