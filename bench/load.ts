import autocannon from 'autocannon';

/**
 * The load generator, run as its own process so the gateways and subgraphs never share its CPU
 * time slice. Reads one job as JSON from argv, prints one result as JSON on stdout.
 *
 * `autocannon`: fixed concurrency for a duration (or a fixed number of requests), bodies taken in
 * turn from `bodies`, per-request latency recorded to compute p50/p95/p99 exactly.
 * `sequence`: one request after another, each body once, in order; each latency recorded (plan cache).
 */
export interface LoadJob {
  mode: 'autocannon' | 'sequence';
  url: string;
  bodies: string[];
  /** Headers per body index (rotated like the bodies), or one set for all. */
  headers: Record<string, string>[];
  connections?: number;
  durationSeconds?: number;
  amount?: number;
}

export interface LoadResult {
  requests: number;
  durationMs: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  /** Responses whose JSON had an `errors` entry (sampled: every response in sequence mode). */
  graphqlErrors: number;
  /** The first failed response (status and start of the body), to say what went wrong. */
  firstFailure?: string;
  latencyMs: { p50: number; p95: number; p99: number; mean: number };
  latencies?: number[];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

function summarize(latencies: number[], durationMs: number, extra: Omit<LoadResult, 'requests' | 'durationMs' | 'requestsPerSecond' | 'latencyMs'>): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    durationMs,
    requestsPerSecond: latencies.length / (durationMs / 1000),
    ...extra,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    },
  };
}

async function runAutocannon(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let graphqlErrors = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  // autocannon ends a fixed-amount run on its one-second tick: the run lasts until the last response.
  let lastResponseAt = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        method: 'POST',
        connections: job.connections ?? 10,
        ...(job.amount ? { amount: job.amount } : { duration: job.durationSeconds }),
        timeout: 30,
        requests: [
          {
            setupRequest: (request) => {
              const i = next++;
              return {
                ...request,
                method: 'POST',
                body: job.bodies[i % job.bodies.length],
                headers: { 'content-type': 'application/json', ...job.headers[i % job.headers.length] },
              };
            },
            // A 200 carrying GraphQL errors is a failure autocannon cannot see on its own.
            onResponse: (status: number, body: string) => {
              if (status < 300 && !body.includes('"errors"')) return;
              if (status < 300) graphqlErrors += 1;
              firstFailure ??= `${status} ${body.slice(0, 160)}`;
            },
          },
        ],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      lastResponseAt = performance.now();
      latencies.push(responseTime);
    });
  });
  const durationMs = (job.amount ? lastResponseAt : performance.now()) - started;
  return summarize(latencies, durationMs, { non2xx: result.non2xx, errors: result.errors + result.timeouts, graphqlErrors, firstFailure });
}

async function runSequence(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let graphqlErrors = 0;
  let non2xx = 0;
  const started = performance.now();
  for (let i = 0; i < job.bodies.length; i += 1) {
    const t0 = performance.now();
    const response = await fetch(job.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...job.headers[i % job.headers.length] },
      body: job.bodies[i],
    });
    const text = await response.text();
    latencies.push(performance.now() - t0);
    if (response.status >= 300) non2xx += 1;
    if (text.includes('"errors"')) graphqlErrors += 1;
  }
  const result = summarize(latencies, performance.now() - started, { non2xx, errors: 0, graphqlErrors });
  return { ...result, latencies };
}

/** Runs one job (see {@link LoadJob}). */
export function runJob(job: LoadJob): Promise<LoadResult> {
  return job.mode === 'sequence' ? runSequence(job) : runAutocannon(job);
}
