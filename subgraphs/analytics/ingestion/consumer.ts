import type { Disposable } from '../../../kernel/events/bus';
import { MONETIZATION_TOPIC } from '../../../kernel/contracts/monetization-events';
import { startWithRetry } from '../../../kernel/events/start-with-retry';
import { RedisLivePublisher } from '../../../kernel/live/live-publisher';
import type { Runtime } from '../../../kernel/runtime';
import { ingestMonetizationMessage } from './ingest';

/** Every analytics replica joins this group, so each message is stored by one of them. */
export const ANALYTICS_CONSUMER_GROUP = 'analytics-monetization';

export interface MonetizationConsumerOptions {
  /** Default {@link MONETIZATION_TOPIC}; tests give each run a topic of its own. */
  topic?: string;
  /** Default {@link ANALYTICS_CONSUMER_GROUP}. */
  groupId?: string;
}

/**
 * Consumes `monetization.events.v1` into `monetization_events`. The bus commits a message's offset
 * only after the handler resolves, so a crash between reading and writing re-reads the message, and
 * the insert by envelope id absorbs the repeat.
 * While the broker is away it keeps trying to join in the background (see `startWithRetry`).
 *
 * Replicas share the topic's partitions (messages are keyed by platform event, so one event's facts
 * stay in order on one partition); when a replica dies, its partitions move to the others after
 * the group's session timeout and its uncommitted messages are read again, absorbed by the insert.
 */
export async function startMonetizationConsumer(runtime: Runtime, options: MonetizationConsumerOptions = {}): Promise<Disposable> {
  const logger = runtime.logger.child({ component: 'analytics-consumer' });
  const live = new RedisLivePublisher(runtime.redis, (error) =>
    logger.warn({ err: error }, 'publishing live monetization activity failed'),
  );
  const subscribe = () =>
    runtime.bus.subscribe({
      groupId: options.groupId ?? ANALYTICS_CONSUMER_GROUP,
      topics: [options.topic ?? MONETIZATION_TOPIC],
      fromBeginning: true,
      handler: async (message) => {
        await ingestMonetizationMessage(runtime.orm.em.fork(), live, logger, message);
      },
    });

  return startWithRetry(subscribe, logger, 'monetization consumer');
}
