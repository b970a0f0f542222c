/**
 * An async iterator fed by pushes, for subscriptions. Unlike an `async function*`, its `return()`
 * takes effect at once even while a consumer waits on `next()`: a generator suspended at an
 * `await` only sees `return()` after that await settles, which for a quiet subscription is never,
 * and would keep its Redis listener, timers and upstream subscription alive.
 */
export interface PushIterator<T> extends AsyncGenerator<T, undefined, unknown> {
  /** Queues a value for the consumer; ignored once ended. */
  push(value: T): void;
  /** Ends the stream after the queued values; `error` is thrown to the consumer after them. */
  end(error?: unknown): void;
  readonly ended: boolean;
}

export interface PushIteratorOptions {
  /** Runs once when the stream ends for any reason (consumer return, `end`, error). */
  onEnd?: () => void;
  /** Values kept for a slow consumer; beyond it the oldest are dropped (default 1000). */
  maxBuffered?: number;
}

export function createPushIterator<T>(options: PushIteratorOptions = {}): PushIterator<T> {
  const maxBuffered = options.maxBuffered ?? 1000;
  const queue: T[] = [];
  const waiting: { resolve: (result: IteratorResult<T, undefined>) => void; reject: (error: unknown) => void }[] = [];
  let ended = false;
  let failure: { error: unknown } | undefined;
  let onEnd = options.onEnd;

  const finish = () => {
    ended = true;
    const callback = onEnd;
    onEnd = undefined;
    callback?.();
  };
  const settleWaiting = () => {
    while (waiting.length > 0 && (queue.length > 0 || ended)) {
      const consumer = waiting.shift()!;
      if (queue.length > 0) consumer.resolve({ value: queue.shift()!, done: false });
      else if (failure) {
        const { error } = failure;
        failure = undefined;
        consumer.reject(error);
      } else consumer.resolve({ value: undefined, done: true });
    }
  };

  const iterator: PushIterator<T> = {
    get ended() {
      return ended;
    },
    push(value) {
      if (ended) return;
      queue.push(value);
      if (queue.length > maxBuffered) queue.shift();
      settleWaiting();
    },
    end(error) {
      if (ended) return;
      if (error !== undefined) failure = { error };
      finish();
      settleWaiting();
    },
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (ended) {
        if (failure) {
          const { error } = failure;
          failure = undefined;
          return Promise.reject(error);
        }
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    return() {
      queue.length = 0;
      failure = undefined;
      if (!ended) finish();
      settleWaiting();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error) {
      queue.length = 0;
      if (!ended) finish();
      settleWaiting();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}
