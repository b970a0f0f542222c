import { AsyncLocalStorage } from 'node:async_hooks';
import { TransactionContext, type MikroORM } from '@mikro-orm/core';

/**
 * Node 20 turns its promise hooks on the first time an `AsyncLocalStorage` runs and leaves them on
 * for the life of the process while that storage stays enabled: from then on every promise pays for
 * them. MikroORM has two, both run by writes: its transaction context (`em.transactional`) and its
 * unit of work's "inside a flush" flag (every `flush`). So in a subgraph that has sold one offer,
 * every later read paid for the hooks: about 15 % of the CPU of the dashboard's subgraph requests
 * (issue 19, `npm run bench:subgraph-layers`). Both storages are read only while one of their runs
 * is in flight (a flush, a transaction), so each is disabled again when its last run settles: the
 * hooks are on while a write is, and off for the reads in between. (Node 22's AsyncContextFrame
 * removes the cost itself.)
 *
 * The flush flag is private to MikroORM's unit of work: it is found by watching which storage runs
 * with `true` as its store while an empty fork flushes (no statement is sent). A storage that cannot
 * be found so (another MikroORM version) is left as it was. Safe to call for every ORM of a process.
 */
export async function scopeOrmAsyncContexts(orm: MikroORM): Promise<void> {
  const storages = new Set<AsyncLocalStorage<unknown>>();
  // Private in MikroORM's types, public at run time.
  const transactionContext = (TransactionContext as unknown as { storage?: unknown }).storage;
  if (transactionContext instanceof AsyncLocalStorage) storages.add(transactionContext);
  const flushFlags = await flagsRunBy(() => orm.em.fork().flush());
  if (flushFlags.size === 1) storages.add([...flushFlags][0]);
  for (const storage of storages) scopeToRuns(storage);
}

/** The storages not scoped yet whose `run` is called with `true` as the store while `work` runs (the unit of work's flag). */
async function flagsRunBy(work: () => Promise<unknown>): Promise<Set<AsyncLocalStorage<unknown>>> {
  const seen = new Set<AsyncLocalStorage<unknown>>();
  const run = AsyncLocalStorage.prototype.run;
  AsyncLocalStorage.prototype.run = function (this: AsyncLocalStorage<unknown>, store: unknown, ...rest: unknown[]) {
    if (store === true && !scoped.has(this)) seen.add(this);
    return (run as (...args: unknown[]) => unknown).call(this, store, ...rest);
  } as typeof run;
  try {
    await work();
  } finally {
    AsyncLocalStorage.prototype.run = run;
  }
  return seen;
}

const scoped = new WeakSet<AsyncLocalStorage<unknown>>();

/** Counts the storage's runs in flight (a run lasts until the promise its callback returned settles) and disables it when none is. */
function scopeToRuns(storage: AsyncLocalStorage<unknown>): void {
  if (scoped.has(storage)) return;
  scoped.add(storage);
  const run = storage.run.bind(storage);
  let inFlight = 0;
  const settled = () => {
    inFlight -= 1;
    if (inFlight === 0) storage.disable();
  };
  storage.run = ((store: unknown, callback: (...args: unknown[]) => unknown, ...args: unknown[]) => {
    inFlight += 1;
    let result: unknown;
    try {
      result = run(store, callback, ...args);
    } catch (error) {
      settled();
      throw error;
    }
    if (!(result instanceof Promise)) {
      settled();
      return result;
    }
    return result.finally(settled);
  }) as typeof storage.run;
  storage.disable();
}
