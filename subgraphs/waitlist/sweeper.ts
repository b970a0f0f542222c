import type { MikroORM } from '@mikro-orm/postgresql';
import type { Disposable } from '../../kernel/events/bus';
import { openSession } from './offering';
import type { WaitlistServices } from './services';
import { runWaitlistTx } from './transaction';

/** Sessions handled per pass; a backlog is worked off over the following passes. */
const SESSIONS_PER_PASS = 100;

/**
 * Expires lapsed offers and offers their seats to the next people, one transaction per session.
 * Safe with several replicas: a session whose row another transaction holds is skipped
 * (`FOR UPDATE SKIP LOCKED`); that holder settles its expired offers itself. Returns the sessions settled.
 */
export async function sweepExpiredOffers(orm: MikroORM, services: WaitlistServices, now = new Date()): Promise<number> {
  await services.queue.dropDirtyMarkers().catch(() => undefined);
  const due = await orm.em.fork().execute<{ session_id: string }[]>(
    `select distinct session_id from waitlist_entries where status = 'OFFERED' and offer_expires_at <= ? limit ?`,
    [now, SESSIONS_PER_PASS],
  );
  let settled = 0;
  for (const { session_id: sessionId } of due) {
    const locked = await runWaitlistTx(orm.em, services, (work) => openSession(work, sessionId, { skipLocked: true }));
    if (locked) settled += 1;
  }
  return settled;
}

/** Runs {@link sweepExpiredOffers} every `intervalMs`; dispose waits for a running pass. */
export function startOfferSweeper(orm: MikroORM, services: WaitlistServices, intervalMs: number): Disposable {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweepExpiredOffers(orm, services)
        .catch((error) => services.logger.error({ err: error }, 'waitlist offer sweep failed; retrying next interval'))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    dispose: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
