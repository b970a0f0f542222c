import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export type Kind = 'gateway' | 'offers' | 'ads' | 'waitlist' | 'analytics';

/** One process of the soak: a gateway or a subgraph replica on a fixed loopback port, restartable. */
export class Replica {
  private child?: ChildProcess;
  private log: WriteStream;
  starts = 0;

  constructor(
    readonly kind: Kind,
    readonly index: number,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    logDir: string,
  ) {
    this.log = createWriteStream(path.join(logDir, `${kind}-${index}.log`), { flags: 'a' });
  }

  get label(): string {
    return `${this.kind}#${this.index}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const args = this.kind === 'gateway' ? ['gateway/main.ts'] : ['subgraphs/main.ts', this.kind];
    const portVariable = `${this.kind.toUpperCase()}_PORT`;
    this.starts += 1;
    this.log.write(`--- start ${this.starts} at ${new Date().toISOString()}\n`);
    this.child = spawn('nice', ['-n', '10', process.execPath, '--import', 'tsx', ...args], {
      cwd: ROOT,
      // Ten processes on one host: none serves /metrics (each would take the default METRICS_PORT).
      env: { ...this.env, METRICS_ENABLED: 'false', [portVariable]: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.pipe(this.log, { end: false });
    this.child.stderr!.pipe(this.log, { end: false });
  }

  /** Waits until `/health/ready` answers 200 (the gateway's once every subgraph answers). */
  async waitReady(timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.label} exited before it was ready (see its log)`);
      try {
        const response = await fetch(`http://127.0.0.1:${this.port}/health/ready`, { signal: AbortSignal.timeout(2000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${this.label} was not ready within ${timeoutMs} ms`);
  }

  /** The fault: SIGKILL, no drain, no closers. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM', 15_000);
  }

  private async signal(signal: NodeJS.Signals, escalateAfterMs?: number): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // `nice` execs node, so the pid is node's own.
    child.kill(signal);
    const timer = escalateAfterMs ? setTimeout(() => child.kill('SIGKILL'), escalateAfterMs) : undefined;
    await exited;
    clearTimeout(timer);
  }
}
