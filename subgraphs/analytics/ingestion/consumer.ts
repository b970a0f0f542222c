import type { Disposable } from '../../../kernel/events/bus';
import { MONETIZATION_TOPIC } from '../../../kernel/events/monetization';
import { RedisLivePublisher } from '../../../kernel/live/live-events';
import type { Runtime } from '../../../kernel/runtime';
import { ingestMonetizationMessage } from './ingest';

/** Every analytics replica joins this group, so each message is stored by one of them. */
export const ANALYTICS_CONSUMER_GROUP = 'analytics-monetization';

/**
 * Consumes `monetization.events.v1` into `monetization_events`. The bus commits a message's offset
 * only after the handler resolves, so a crash between reading and writing re-reads the message, and
 * the insert by envelope id absorbs the repeat.
 *
 * While the broker is away the consumer cannot join its group; rather than failing the subgraph it
 * keeps trying in the background (doubling the wait up to 30 s), so queries keep being served and no
 * message is skipped once it joins.
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

  let current: Disposable | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (delayMs: number): Promise<void> => {
    if (stopped) return;
    try {
      current = await subscribe();
      if (stopped) await current.dispose();
    } catch (error) {
      logger.warn({ err: error, retryInMs: delayMs }, 'monetization consumer could not start; retrying');
      timer = setTimeout(() => void attempt(Math.min(delayMs * 2, 30_000)), delayMs);
      timer.unref();
    }
  };
  await attempt(1000);
  return {
    dispose: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current?.dispose();
    },
  };
}
