import type { Logger } from './logger';

interface Closer {
  name: string;
  dispose: () => Promise<void> | void;
}

/**
 * The one shutdown path. Everything that starts registers how to stop; `dispose` runs the closers in
 * reverse order of registration (servers before consumers before schedulers before connections),
 * each bounded in time so one stuck resource cannot hold the others open.
 */
export class Shutdown {
  private readonly closers: Closer[] = [];
  private closing?: Promise<void>;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = 10_000,
  ) {}

  /** `last`: closes after everything registered so far too (tracing flushes the spans of the others' shutdown). */
  register(name: string, dispose: () => Promise<void> | void, options: { last?: boolean } = {}): void {
    if (options.last) this.closers.unshift({ name, dispose });
    else this.closers.push({ name, dispose });
  }

  dispose(): Promise<void> {
    this.closing ??= (async () => {
      for (const closer of [...this.closers].reverse()) {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            Promise.resolve().then(closer.dispose),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
            }),
          ]);
          this.logger.debug({ resource: closer.name }, 'closed');
        } catch (error) {
          this.logger.error({ err: error, resource: closer.name }, 'failed to close cleanly');
        } finally {
          clearTimeout(timer);
        }
      }
    })();
    return this.closing;
  }

  /** First SIGTERM/SIGINT closes gracefully; a second one exits at once. */
  handleSignals(): void {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        this.logger.warn({ signal }, 'second signal: exiting now');
        process.exit(1);
      }
      signalled = true;
      this.logger.info({ signal }, 'shutting down');
      void this.dispose().then(() => process.exit(0));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
}
