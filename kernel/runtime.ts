import type { EntitySchema } from '@mikro-orm/core';
import { ConfigError, type Config } from './config';
import { createOrm, runMigrations, type MikroORM } from './db/orm';
import type { EventBus } from './events/bus';
import { KafkaBus } from './events/kafka-bus';
import { startWithRetry } from './events/start-with-retry';
import { MemoryBus } from './events/memory-bus';
import type { Logger } from './logger';
import { OutboxRelay } from './outbox/relay';
import { observeOutboxBacklog } from './outbox/backlog-metrics';
import { observePool } from './db/pool-metrics';
import { countRedisErrors } from './redis-metrics';
import { consumePlatformEvents } from './platform/consumer';
import { applySeed } from './platform/seed';
import { readSeedFile } from './platform/seed-file';
import type { SeedFile } from './contracts/platform-records';
import { createRedis, type Redis } from './redis';
import { Shutdown } from './shutdown';
import { checkStandIns } from './stand-ins';

/** The connections and shared workers of one process, built once from the config. */
export interface Runtime {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  redis: Redis;
  bus: EventBus;
  relay: OutboxRelay;
  shutdown: Shutdown;
}

export interface RuntimeOptions {
  entities: EntitySchema<any>[];
  /** Extra seed applied after SEED_FILE (the embedded demo data). */
  seed?: SeedFile;
  /** Whether this process relays the outbox and consumes platform events (default true). */
  workers?: boolean;
}

/**
 * Opens PostgreSQL (or PGlite), Redis (or its in-process stand-in) and Kafka (or the in-process
 * bus), runs migrations, applies seeds and starts the outbox relay and the platform consumer.
 * Everything is registered with one {@link Shutdown}, in the order it must close.
 */
export async function createRuntime(config: Config, logger: Logger, options: RuntimeOptions): Promise<Runtime> {
  // Before anything opens: production refuses stand-ins, elsewhere a partial set is said.
  checkStandIns(config, logger);
  if (options.seed && config.env === 'production') throw new ConfigError('The demo seed is never applied in production.');
  const shutdown = new Shutdown(logger);
  try {
    const orm = await createOrm({
      url: config.database.url,
      poolMax: config.database.poolMax,
      entities: options.entities,
      logger,
    });
    shutdown.register('database', () => orm.close(true));
    const stopObservingPool = observePool(orm);
    shutdown.register('pool metrics', async () => stopObservingPool());
    if (config.database.runMigrations || !config.database.url) {
      const applied = await runMigrations(orm);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    }

    const redis = await createRedis(config.redis);
    redis.on?.('error', (error: Error) => logger.warn({ err: error }, 'redis connection error'));
    countRedisErrors(redis, 'main');
    shutdown.register('redis', async () => {
      redis.disconnect();
    });

    const bus: EventBus = config.kafka.brokers
      ? new KafkaBus({
          brokers: config.kafka.brokers,
          clientId: config.kafka.clientId,
          groupPrefix: config.kafka.groupPrefix,
          topicPartitions: config.kafka.topicPartitions,
          logger,
        })
      : new MemoryBus(logger);
    shutdown.register('event bus', () => bus.dispose());

    if (config.seedFile) await applySeed(orm, await readSeedFile(config.seedFile));
    if (options.seed) await applySeed(orm, options.seed);

    const relay = new OutboxRelay({ orm, bus, logger, pollMs: config.outbox.pollMs });
    const runtime: Runtime = { config, logger, orm, redis, bus, relay, shutdown };
    if (options.workers !== false) await startRuntimeWorkers(runtime);
    return runtime;
  } catch (error) {
    await shutdown.dispose();
    throw error;
  }
}

/** Starts the outbox relay and the platform consumer of a runtime created without workers. */
export async function startRuntimeWorkers(runtime: Runtime): Promise<void> {
  const { orm, bus, logger, relay, shutdown } = runtime;
  relay.start();
  shutdown.register('outbox relay', () => relay.dispose());
  const stopObservingOutbox = observeOutboxBacklog(orm);
  shutdown.register('outbox metrics', async () => stopObservingOutbox());
  const platformConsumer = await startWithRetry(() => consumePlatformEvents(orm, bus, logger), logger, 'platform consumer');
  shutdown.register('platform consumer', () => platformConsumer.dispose());
}
