import { fork } from 'node:child_process';
import path from 'node:path';
import type { SubgraphName } from '../kernel/config';
import { cpuMsOf, peakRssMbOf } from './proc';
import type { SubgraphHost, SubgraphTraffic } from './stack';

export interface SubgraphProcess extends SubgraphHost {
  stop(): Promise<void>;
}

type HostReply =
  | { type: 'ready'; subgraphUrls: Record<SubgraphName, string> }
  | { type: 'meter'; statements: number; sqlMs: number; redisCommands: number };

/**
 * Starts the subgraphs of the checkout in `dir` as their own process (`bench/subgraph-host.ts`),
 * with the same environment as the runner's, and waits until they serve. `compiled`: they run from
 * the checkout's `dist/` (built by bench/build.ts) on plain Node, as in production.
 */
export async function startSubgraphProcess(dir: string, options: { compiled?: boolean } = {}): Promise<SubgraphProcess> {
  const child = fork(path.join(__dirname, options.compiled ? 'compiled-host.cjs' : 'subgraph-host.ts'), options.compiled ? [dir, '--compiled'] : [dir], {
    cwd: dir,
    execArgv: options.compiled ? [] : ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: process.env,
  });
  const next = () =>
    new Promise<HostReply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the --before subgraphs exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message as HostReply);
      });
    });
  const ready = await next();
  if (ready.type !== 'ready') throw new Error('the --before subgraphs did not start');
  const pid = child.pid!;
  return {
    subgraphUrls: ready.subgraphUrls,
    cpuMs: () => cpuMsOf(pid),
    peakRssMb: () => peakRssMbOf(pid),
    traffic: async <T>(fn: () => Promise<T>): Promise<SubgraphTraffic<T>> => {
      child.send({ type: 'meter-start' });
      const result = await fn();
      const reply = next();
      child.send({ type: 'meter-stop' });
      const meter = await reply;
      if (meter.type !== 'meter') throw new Error('unexpected reply from the --before subgraphs');
      return { result, statements: meter.statements, sqlMs: meter.sqlMs, redisCommands: meter.redisCommands };
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
