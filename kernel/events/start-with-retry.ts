import type { Logger } from '../logger';
import type { Disposable } from './bus';

/**
 * Starts a consumer that cannot join its group while the broker is away. Rather than failing the
 * process it keeps trying in the background (doubling the wait up to 30 s), so the rest of the
 * service comes up and no message is skipped once it joins. The returned handle stops the retries
 * or the consumer, whichever is running.
 */
export async function startWithRetry(start: () => Promise<Disposable>, logger: Logger, what: string): Promise<Disposable> {
  let current: Disposable | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (delayMs: number): Promise<void> => {
    if (stopped) return;
    try {
      current = await start();
      if (stopped) await current.dispose();
    } catch (error) {
      logger.warn({ err: error, retryInMs: delayMs }, `${what} could not start; retrying`);
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
