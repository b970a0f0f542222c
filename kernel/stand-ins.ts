import { ConfigError, type Config } from './config';
import type { Logger } from './logger';

/** A real service the process would replace with an in-process stand-in, and by what. */
export interface StandIn {
  variable: 'DATABASE_URL' | 'REDIS_URL' | 'KAFKA_BROKERS';
  standIn: string;
}

/** The services this config leaves to in-process stand-ins. */
export function standInsOf(config: Config): StandIn[] {
  const standIns: StandIn[] = [];
  if (!config.database.url) standIns.push({ variable: 'DATABASE_URL', standIn: 'an in-process PostgreSQL (PGlite) whose data is lost on exit' });
  if (!config.redis.url && !config.redis.cluster) standIns.push({ variable: 'REDIS_URL', standIn: 'an in-process Redis stand-in shared by nothing else' });
  if (!config.kafka.brokers) standIns.push({ variable: 'KAFKA_BROKERS', standIn: 'an in-process event bus that reaches no other process' });
  return standIns;
}

/**
 * Production never runs on stand-ins (issue 16): a missing DATABASE_URL, REDIS_URL or
 * KAFKA_BROKERS stops the process with a sentence naming it. Elsewhere, a partial set (say Redis
 * real, Kafka missing) is said at start, part by part; the fully embedded default says so itself.
 */
export function checkStandIns(config: Config, logger: Logger): void {
  const standIns = standInsOf(config);
  if (config.env === 'production' && standIns.length > 0) {
    throw new ConfigError(
      standIns
        .map(({ variable, standIn }) => `Environment variable ${variable} must be set in production (without it this process would run on ${standIn}).`)
        .join(' '),
    );
  }
  if (standIns.length > 0 && standIns.length < 3) {
    for (const { variable, standIn } of standIns) logger.warn({ variable }, `${variable} is not set: using ${standIn}`);
  }
}
