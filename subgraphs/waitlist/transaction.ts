import type { EntityManager } from '@mikro-orm/postgresql';
import { AfterCommit } from './after-commit';
import type { WaitlistServices } from './services';

/** One transaction's view of the waitlist: its EntityManager, what to do after commit, and the process services. */
export interface WaitlistTx {
  tx: EntityManager;
  after: AfterCommit;
  services: WaitlistServices;
  now: Date;
}

/**
 * Runs `work` in one transaction on a fork of `em`, versions what it announced in the same
 * transaction (live snapshots, issue 15), then mirrors and announces what it changed.
 */
export async function runWaitlistTx<T>(em: EntityManager, services: WaitlistServices, work: (tx: WaitlistTx) => Promise<T>): Promise<T> {
  const after = new AfterCommit();
  const result = await em.fork().transactional(async (tx) => {
    const done = await work({ tx, after, services, now: new Date() });
    await after.version(tx);
    return done;
  });
  await after.run(services);
  return result;
}
