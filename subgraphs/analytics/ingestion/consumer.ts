import type { Disposable } from '../../../kernel/events/bus';
import { MONETIZATION_TOPIC } from '../../../kernel/contracts/monetization-events';
import { startWithRetry } from '../../../kernel/events/start-with-retry';
import { RedisLivePublisher } from '../../../kernel/live/live-publisher';
import type { Runtime } from '../../../kernel/runtime';
import { ingestMonetizationMessage } from './ingest';

/** Every analytics replica joins this group, so each message is stored by one of them. */
export const ANALYTICS_CONSUMER_GROUP = 'analytics-monetization';

/**
 * Consumes `monetization.events.v1` into `monetization_events`. The bus commits a message's offset
 * only after the handler resolves, so a crash between reading and writing re-reads the message, and
 * the insert by envelope id absorbs the repeat.
 * While the broker is away it keeps trying to join in the background (see `startWithRetry`).
 */
export async function startMonetizationConsumer(runtime: Runtime): Promise<Disposable> {
  const logger = runtime.logger.child({ component: 'analytics-consumer' });
  const live = new RedisLivePublisher(runtime.redis, (error) =>
    logger.warn({ err: error }, 'publishing live monetization activity failed'),
  );
  const subscribe = () =>
    runtime.bus.subscribe({
      groupId: ANALYTICS_CONSUMER_GROUP,
      topics: [MONETIZATION_TOPIC],
      fromBeginning: true,
      handler: async (message) => {
        await ingestMonetizationMessage(runtime.orm.em.fork(), live, logger, message);
      },
    });

  return startWithRetry(subscribe, logger, 'monetization consumer');
}
