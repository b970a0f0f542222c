import { fork, type ChildProcess } from 'node:child_process';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import type { Identity } from '../kernel/auth/identity';
import type { SubgraphName } from '../kernel/config';
import { cpuMsOf, peakRssMbOf } from './proc';
import { BENCH_JWT_SECRET, BENCH_SUBGRAPH_SECRET } from './stack';

export type GatewayKind = 'ours' | 'ours-before' | 'hive' | 'hive-rust';

export const GATEWAY_LABELS: Record<GatewayKind, string> = {
  ours: 'ours (@apollo/gateway 2.14)',
  'ours-before': 'ours before the change (--before=<ref>)',
  hive: 'Hive Gateway (JS planner)',
  'hive-rust': 'Hive Gateway + Rust planner',
};

export interface GatewayProcess {
  kind: GatewayKind;
  url: string;
  pid: number;
  /** Peak resident memory of the process so far (VmHWM), in MB. */
  peakRssMb(): number;
  /** User + system CPU time of the process so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

async function waitUntilServing(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before serving`);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not serve within 60 s`);
}

/**
 * A loopback port free now: one the kernel hands out, released for a gateway to take. A port picked
 * at random could be in the ephemeral range, held by one of the run's own connections or servers.
 */
async function freeLoopbackPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface StartGatewayOptions {
  kind: GatewayKind;
  subgraphUrls: Record<SubgraphName, string>;
  /** The identity Hive Gateway forwards (ours reads it from the client's JWT). */
  identity: Identity;
  /** Extra node flags, e.g. `--cpu-prof`. */
  execArgv?: string[];
  /** Where our gateway's code is checked out (`ours-before` runs an older commit); the repository by default. */
  checkout?: string;
  /** Ours from the checkout's `dist/` (built by bench/build.ts) on plain Node, as in production; else its TypeScript through tsx. */
  compiled?: boolean;
  env?: Record<string, string>;
}

/** Starts one gateway as its own process on loopback and waits until it answers a query. */
export async function startGatewayProcess(options: StartGatewayOptions): Promise<GatewayProcess> {
  const root = path.resolve(__dirname, '..');
  const ourCode = options.checkout ?? root;
  const port = await freeLoopbackPort();
  const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production' };
  const execArgv = ['--import', 'tsx', ...(options.execArgv ?? [])];
  const child =
    options.kind === 'ours' || options.kind === 'ours-before'
      ? fork(path.join(ourCode, options.compiled ? 'dist/gateway/main.js' : 'gateway/main.ts'), [], {
          cwd: ourCode,
          execArgv: options.compiled ? (options.execArgv ?? []) : execArgv,
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
          env: {
            ...base,
            LOG_LEVEL: 'error',
            GATEWAY_HOST: '127.0.0.1',
            GATEWAY_PORT: String(port),
            OFFERS_URL: options.subgraphUrls.offers,
            ADS_URL: options.subgraphUrls.ads,
            WAITLIST_URL: options.subgraphUrls.waitlist,
            ANALYTICS_URL: options.subgraphUrls.analytics,
            AUTH_JWT_SECRET: BENCH_JWT_SECRET,
            SUBGRAPH_SECRET: BENCH_SUBGRAPH_SECRET,
            SHUTDOWN_DRAIN_MS: '0',
            // Metrics on (their cost is part of what is measured), on a free port so runs do not collide.
            METRICS_PORT: '0',
            // Scenario 5 opens up to 50 sockets per organizer from one address; the caps' defaults are for clients.
            WS_MAX_SOCKETS_PER_CALLER: '1000',
            WS_MAX_SUBSCRIPTIONS_PER_CALLER: '1000',
            ...options.env,
          },
        })
      : fork(path.join(root, 'bench/hive-gateway.ts'), [], {
          cwd: root,
          execArgv,
          stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
          env: {
            ...base,
            PORT: String(port),
            SUBGRAPH_URLS: JSON.stringify(options.subgraphUrls),
            BENCH_IDENTITY: JSON.stringify(options.identity),
            SUBGRAPH_SECRET: BENCH_SUBGRAPH_SECRET,
            HIVE_PLANNER: options.kind === 'hive-rust' ? 'rust' : 'js',
            ...options.env,
          },
        });
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitUntilServing(url, child, options.kind);
  const pid = child.pid!;
  return {
    kind: options.kind,
    url,
    pid,
    peakRssMb: () => peakRssMbOf(pid),
    cpuMs: () => cpuMsOf(pid),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
