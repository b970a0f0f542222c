import { Queue, Worker } from 'bullmq';
import type { Disposable } from '../events/bus';
import type { Logger } from '../logger';
import { createRedis, isRealRedis, type RedisTarget } from '../redis';
import { redisKeysOf } from '../redis-keys';
import { counter, histogram, secondsSince } from '../observability/metrics';
import { countRedisErrors } from '../redis-metrics';

const runs = counter({
  name: 'scheduled_job_runs_total',
  help: 'Runs of scheduled jobs in this process, by job name and outcome (ok, failed).',
  labelNames: ['job', 'outcome'] as const,
});
const runSeconds = histogram({
  name: 'scheduled_job_duration_seconds',
  help: 'How long one run of a scheduled job took.',
  labelNames: ['job'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
});

/** The job, its runs counted and timed. */
function measured(job: ScheduledJob): ScheduledJob {
  return {
    ...job,
    run: async () => {
      const start = process.hrtime.bigint();
      try {
        const result = await job.run();
        runs.inc({ job: job.name, outcome: 'ok' });
        return result;
      } catch (error) {
        runs.inc({ job: job.name, outcome: 'failed' });
        throw error;
      } finally {
        runSeconds.observe({ job: job.name }, secondsSince(start));
      }
    },
  };
}

const REGISTRATION_WAIT_MS = 3_000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** A job run every `everyMs`, by one process of however many run the subgraph. */
export interface ScheduledJob {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export interface SchedulerOptions {
  /** Real Redis (a node or a cluster): BullMQ job schedulers. Absent (the embedded in-process stand-in): timers in this process. */
  redis?: RedisTarget;
  queueName: string;
  jobs: ScheduledJob[];
  logger: Logger;
  /** How long start-up waits for Redis to register the jobs before going on without it. */
  registrationWaitMs?: number;
}

/** Starts the jobs; `dispose()` stops scheduling and waits for a running job to finish. */
export function startScheduler(schedulerOptions: SchedulerOptions): Promise<Disposable> {
  const options = { ...schedulerOptions, jobs: schedulerOptions.jobs.map(measured) };
  return isRealRedis(options.redis) ? startBullScheduler(options) : startIntervalScheduler(options);
}

/**
 * BullMQ job schedulers: one scheduler per job id lives in Redis, so every replica upserting it
 * changes nothing, and each produced job is taken by exactly one replica's worker.
 */
async function startBullScheduler(options: SchedulerOptions): Promise<Disposable> {
  const { queueName, jobs, logger } = options;
  // BullMQ's own settings: commands wait for the connection, and its blocking reads have no timeout.
  const connect = async () => {
    const connection = await createRedis(options.redis, { maxRetriesPerRequest: null, enableOfflineQueue: true, commandTimeout: undefined });
    countRedisErrors(connection, 'jobs');
    return connection;
  };
  const queueConnection = await connect();
  const workerConnection = await connect();
  // On a cluster every key of a queue must share a slot: the prefix carries the hash tag.
  const prefix = redisKeysOf(queueConnection).bullPrefix;
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const running = new Set<Promise<unknown>>();
  const queue = new Queue(queueName, { connection: queueConnection, prefix });
  const worker = new Worker(
    queueName,
    async (job) => {
      const scheduled = byName.get(job.name);
      if (!scheduled) return { skipped: true };
      const run = scheduled.run();
      running.add(run);
      return run.finally(() => running.delete(run));
    },
    { connection: workerConnection, prefix, concurrency: 1 },
  );
  worker.on('failed', (job, error) => logger.error({ err: error, job: job?.name }, 'scheduled job failed'));
  worker.on('error', (error) => logger.warn({ err: error }, 'scheduler worker error'));
  queue.on('error', (error) => logger.warn({ err: error }, 'scheduler queue error'));
  const dispose = async () => {
    // A graceful close waits on Redis, which may be the thing that is down; so stop fetching at
    // once and wait for our own running job instead. Jobs are idempotent, and one cut short is
    // run again by a replica.
    await worker.close(true);
    await Promise.allSettled([...running]);
    await queue.close();
    queueConnection.disconnect();
    workerConnection.disconnect();
  };
  const registration = (async () => {
    for (const job of jobs) {
      await queue.upsertJobScheduler(
        job.name,
        { every: job.everyMs },
        { name: job.name, opts: { removeOnComplete: 50, removeOnFail: 200 } },
      );
    }
    logger.info({ queue: queueName, jobs: jobs.map(({ name, everyMs }) => ({ name, everyMs })) }, 'scheduled jobs registered with BullMQ');
  })().catch((error) => logger.error({ err: error, queue: queueName }, 'scheduled jobs could not be registered'));
  // Purchases do not need Redis: while it is unreachable the subgraph starts anyway, and the
  // registration (its commands wait for the connection) completes once Redis is back.
  const registered = await Promise.race([
    registration.then(() => true),
    delay(options.registrationWaitMs ?? REGISTRATION_WAIT_MS).then(() => false),
  ]);
  if (!registered) logger.warn({ queue: queueName }, 'Redis is not answering; scheduled jobs will be registered when it is');
  return { dispose };
}

/**
 * The embedded default has no real Redis (BullMQ needs Lua scripts the stand-in lacks) and runs
 * as one process, so plain timers schedule the jobs; a run is skipped while the previous one lasts.
 */
async function startIntervalScheduler(options: SchedulerOptions): Promise<Disposable> {
  const running = new Set<Promise<unknown>>();
  const timers = options.jobs.map((job) => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const run = job
        .run()
        .catch((error) => options.logger.error({ err: error, job: job.name }, 'scheduled job failed'))
        .finally(() => {
          busy = false;
          running.delete(run);
        });
      running.add(run);
    }, job.everyMs);
    timer.unref();
    return timer;
  });
  options.logger.info({ jobs: options.jobs.map(({ name, everyMs }) => ({ name, everyMs })) }, 'scheduled jobs run in-process (no real Redis)');
  return {
    dispose: async () => {
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running]);
    },
  };
}
