import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { eventually } from './timing';
import { freePort } from './ports';

const ROOT = path.resolve(__dirname, '../..');

export interface StartedProcess {
  child: ChildProcess;
  gatewayUrl: string;
  output(): string;
  exitCode(): number | null | undefined;
  waitForExit(timeoutMs?: number): Promise<number | null>;
}

export interface SupergraphProcessOptions {
  /**
   * `node` (default) runs main.ts as `npm start` runs it; `npm` runs `npm start` itself (or `npm run
   * gateway` with `script: 'gateway'`), so signals go to npm's process.
   */
  via?: 'node' | 'npm';
  script?: 'start' | 'gateway';
}

/** Runs `npm start`'s entry (main.ts) on free ports with no service URLs: the embedded default. */
export async function startEmbeddedSupergraph(
  extraEnv: Record<string, string> = {},
  options: SupergraphProcessOptions = {},
): Promise<StartedProcess & { ports: number[] }> {
  const ports = await Promise.all([1, 2, 3, 4, 5, 6].map(() => freePort()));
  const [gateway, offers, ads, waitlist, analytics, metrics] = ports;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    GATEWAY_PORT: String(gateway),
    OFFERS_PORT: String(offers),
    ADS_PORT: String(ads),
    WAITLIST_PORT: String(waitlist),
    ANALYTICS_PORT: String(analytics),
    METRICS_PORT: String(metrics),
    ...extraEnv,
  };
  const script = options.script ?? 'start';
  const entry = script === 'gateway' ? 'gateway/main.ts' : 'main.ts';
  // As `npm start` runs it: TypeScript loaded in-process, so signals reach the app itself.
  const child =
    options.via === 'npm'
      ? spawn('npm', script === 'start' ? ['start'] : ['run', script], { cwd: ROOT, env })
      : spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env });
  let output = '';
  let exitCode: number | null | undefined;
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const gatewayUrl = `http://127.0.0.1:${gateway}/graphql`;
  return {
    child,
    gatewayUrl,
    ports,
    output: () => output,
    exitCode: () => exitCode,
    waitForExit: (timeoutMs = 20_000) =>
      Promise.race([
        exited,
        new Promise<number | null>((_, reject) => setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms`)), timeoutMs)),
      ]),
  };
}

/** True when something accepts TCP connections on the loopback port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until the gateway answers /health/ready with 200. */
export function waitUntilReady(started: StartedProcess, timeoutMs = 30_000): Promise<boolean> {
  return eventually(
    async () => (await fetch(started.gatewayUrl.replace('/graphql', '/health/ready'))).status === 200,
    timeoutMs,
    `the gateway to be ready (output so far: ${started.output().slice(0, 500)})`,
  );
}
