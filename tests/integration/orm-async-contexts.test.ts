import { randomUUID } from 'node:crypto';
import { AsyncLocalStorage, executionAsyncResource } from 'node:async_hooks';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createOrm } from '../../kernel/db/orm';
import { createLogger } from '../../kernel/logger';
import { allEntities } from '../../subgraphs/entities';
import { Offer } from '../../subgraphs/offers/entities/offer';
import { startStack, type TestStack } from '../support/stack';

jest.setTimeout(120_000);

/** Whether Node's promise hooks are on: with them, a promise reaction runs as its own async resource. */
const promiseHooksOn = () => Promise.resolve().then(() => executionAsyncResource() instanceof Promise);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** MikroORM's async contexts on for the writes that read them, off for the reads in between (kernel/db/orm-async-contexts.ts). */
describe('the ORM async contexts', () => {
  let stack: TestStack;
  const eventId = `ev-als-${randomUUID().slice(0, 8)}`;
  const offerCount = () => stack.runtime.orm.em.fork().count(Offer, { eventId });

  beforeAll(async () => {
    stack = await startStack({ kafka: false, workers: false, gateway: false, subgraphs: [] });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('are off again once the flushes and transactions that turned them on have settled', async () => {
    const em = stack.runtime.orm.em.fork();
    em.persist(new Offer(eventId, 'Flushed', 'DIGITAL', 500, 'USD'));
    await em.flush();
    await stack.runtime.orm.em.transactional(async (tx) => {
      tx.persist(new Offer(eventId, 'In a transaction', 'DIGITAL', 500, 'USD'));
      expect(await promiseHooksOn()).toBe(true);
    });
    expect(await offerCount()).toBe(2);
    expect(await promiseHooksOn()).toBe(false);
  });

  it('keep each transaction its own while another ends in the middle of it', async () => {
    const global = stack.runtime.orm.em;
    let longOne: EntityManager | undefined;
    const seenByLongOne: boolean[] = [];
    const long = global.transactional(async (tx) => {
      longOne = tx as EntityManager;
      for (let step = 0; step < 5; step += 1) {
        await tx.getConnection().execute('select pg_sleep(0.01)', [], 'all', tx.getTransactionContext());
        await pause(5);
        seenByLongOne.push(global.getContext() === tx);
      }
      tx.persist(new Offer(eventId, 'Long', 'DIGITAL', 100, 'USD'));
    });
    const short = global.transactional(async (tx) => {
      expect(global.getContext()).toBe(tx);
      tx.persist(new Offer(eventId, 'Short', 'DIGITAL', 100, 'USD'));
    });
    await short;
    await long;
    expect(longOne).toBeDefined();
    expect(seenByLongOne).toEqual([true, true, true, true, true]);
    expect(await offerCount()).toBe(4);
    expect(await promiseHooksOn()).toBe(false);
  });

  it('give a nested transaction its own context and the outer one its own back', async () => {
    const global = stack.runtime.orm.em;
    await global.transactional(async (outer) => {
      await global.transactional(async (inner) => {
        await pause(1);
        expect(inner).not.toBe(outer);
        expect(global.getContext()).toBe(inner);
      });
      await pause(1);
      expect(global.getContext()).toBe(outer);
      outer.persist(new Offer(eventId, 'Outer', 'DIGITAL', 100, 'USD'));
    });
    expect(await offerCount()).toBe(5);
  });

  it('still queue a flush asked for while another flush of the same manager is running', async () => {
    const em = stack.runtime.orm.em.fork();
    em.persist(new Offer(eventId, 'First', 'DIGITAL', 100, 'USD'));
    const first = em.flush();
    em.persist(new Offer(eventId, 'Second', 'DIGITAL', 100, 'USD'));
    await Promise.all([first, em.flush()]);
    expect(await offerCount()).toBe(7);
    expect(await promiseHooksOn()).toBe(false);
  });

  it('refuse a transaction that fails and let the next one see its own context', async () => {
    const global = stack.runtime.orm.em;
    await expect(
      global.transactional(async (tx) => {
        tx.persist(new Offer(eventId, 'Rolled back', 'DIGITAL', 100, 'USD'));
        await tx.flush();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await global.transactional(async (tx) => {
      await pause(1);
      expect(global.getContext()).toBe(tx);
    });
    expect(await offerCount()).toBe(7);
    expect(await promiseHooksOn()).toBe(false);
  });

  it('stay scoped with a second ORM in the process, and leave the storages of the application alone', async () => {
    const appStorage = new AsyncLocalStorage<string>();
    const second = await createOrm({ url: process.env.DATABASE_URL!, entities: allEntities, logger: createLogger('silent') });
    try {
      // A storage of the application, whose context outlives the run that set it (as tracing's does).
      const later = appStorage.run('request-1', () => new Promise<string | undefined>((resolve) => setTimeout(() => resolve(appStorage.getStore()), 20)));
      await second.em.transactional(async (tx) => {
        tx.persist(new Offer(eventId, 'Second ORM', 'DIGITAL', 100, 'USD'));
        await pause(1);
        expect(second.em.getContext()).toBe(tx);
      });
      expect(await later).toBe('request-1');
      expect(await offerCount()).toBe(8);
      appStorage.disable();
      expect(await promiseHooksOn()).toBe(false);
    } finally {
      await second.close(true);
    }
  });
});
