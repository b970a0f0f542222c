import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
} from 'prom-client';

/**
 * The process's one Prometheus registry. Metrics are declared next to the code that moves them
 * through {@link counter}, {@link histogram} and {@link sampledGauge}; declaring the same name
 * twice (the four subgraphs of `npm start` share a process, tests start several stacks) returns the
 * metric already registered.
 */
export const metricsRegistry = new Registry();

/** Latency buckets in seconds, from a cached read to a slow report. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

let processMetrics = false;

/** Node's own metrics (CPU, memory, event-loop lag, GC, handles), once per process. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/** A counter in the process registry (the one already there under that name, if any). */
export function counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
  return (metricsRegistry.getSingleMetric(config.name) as Counter<L> | undefined) ?? new Counter({ ...config, registers: [metricsRegistry] });
}

/** A histogram in the process registry, latency buckets by default. */
export function histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
  return (
    (metricsRegistry.getSingleMetric(config.name) as Histogram<L> | undefined) ??
    new Histogram({ buckets: LATENCY_BUCKETS, ...config, registers: [metricsRegistry] })
  );
}

/** A gauge set by the code that knows its value (for values read at scrape time see {@link sampledGauge}). */
export function gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
  return (metricsRegistry.getSingleMetric(config.name) as Gauge<L> | undefined) ?? new Gauge({ ...config, registers: [metricsRegistry] });
}

/** One value of a sampled gauge; `labels` must use the gauge's label names. */
export interface Sample<L extends string = string> {
  labels?: Partial<Record<L, string>>;
  value: number;
}

export interface SampledGauge<L extends string> {
  /** Adds a source read at every scrape; the returned function removes it (on shutdown). */
  add(read: () => Sample<L>[] | Promise<Sample<L>[]>): () => void;
}

const sources = new Map<string, Set<() => Sample[] | Promise<Sample[]>>>();

/**
 * A gauge whose value is read when Prometheus scrapes, summed over every source added (one per
 * gateway, feed or pool of the process): nothing is counted on the request path. A source that
 * fails to read is left out of that scrape.
 */
export function sampledGauge<L extends string>(name: string, help: string, labelNames: readonly L[] = []): SampledGauge<L> {
  let reads = sources.get(name);
  if (!reads) {
    const own = new Set<() => Sample[] | Promise<Sample[]>>();
    reads = own;
    sources.set(name, own);
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [metricsRegistry],
      async collect() {
        this.reset();
        const results = await Promise.allSettled([...own].map(async (read) => read()));
        for (const result of results) {
          if (result.status !== 'fulfilled') continue;
          for (const sample of result.value) this.inc((sample.labels ?? {}) as never, sample.value);
        }
      },
    });
  }
  const set = reads;
  return {
    add(read) {
      set.add(read as () => Sample[]);
      return () => set.delete(read as () => Sample[]);
    },
  };
}

/** Seconds since `start` (a `process.hrtime.bigint()` reading). */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
