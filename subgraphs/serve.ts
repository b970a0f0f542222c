import type { SubgraphName } from '../kernel/config';
import type { Disposable } from '../kernel/events/bus';
import type { Runtime } from '../kernel/runtime';
import { startSubgraph, type RunningSubgraph } from '../kernel/subgraph/server';
import { subgraphs } from './registry';

export interface ServeOptions {
  portOf?: (name: SubgraphName) => number;
  /** Start each subgraph's workers (consumers, scheduled jobs, sweepers); default true. */
  workers?: boolean;
}

/**
 * Starts the named subgraphs on the runtime (their servers and workers), registering each with the
 * runtime's shutdown so servers stop before the connections they use.
 */
export async function serveSubgraphs(runtime: Runtime, names: SubgraphName[], options: ServeOptions = {}): Promise<RunningSubgraph[]> {
  const portOf = options.portOf ?? ((name: SubgraphName) => runtime.config.subgraphs.ports[name]);
  const running: RunningSubgraph[] = [];
  for (const name of names) {
    const definition = subgraphs[name];
    const services = definition.createServices?.(runtime);
    if (services?.dispose) runtime.shutdown.register(`${name} services`, () => services.dispose!());
    const workers: Disposable[] = options.workers === false ? [] : ((await definition.startWorkers?.(runtime, services)) ?? []);
    for (const worker of workers) runtime.shutdown.register(`${name} worker`, () => worker.dispose());
    const server = await startSubgraph(definition, runtime, { host: runtime.config.subgraphs.host, port: portOf(name) }, services);
    runtime.shutdown.register(`${name} server`, () => server.dispose());
    running.push(server);
  }
  // Registered last so it runs first: every server of the process drains together, once.
  runtime.shutdown.register('drain', async () => {
    for (const server of running) server.startDraining();
    const drainMs = runtime.config.gateway.shutdownDrainMs;
    if (drainMs > 0) await new Promise((resolve) => setTimeout(resolve, drainMs));
  });
  return running;
}
