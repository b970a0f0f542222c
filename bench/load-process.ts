import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LoadJob, LoadResult } from './load';
import type { SubscriptionJob, SubscriptionLoadResult } from './subscription-load';

const run = promisify(execFile);
const root = path.resolve(__dirname, '..');
let jobs = 0;

/** Runs one load job in a process of its own (bench/load-cli.ts): the load generator never shares a process with what it measures. */
export async function loadInProcess(job: LoadJob): Promise<LoadResult>;
export async function loadInProcess(job: SubscriptionJob): Promise<SubscriptionLoadResult>;
export async function loadInProcess(job: LoadJob | SubscriptionJob): Promise<LoadResult | SubscriptionLoadResult> {
  const file = path.join(os.tmpdir(), `bench-job-${process.pid}-${jobs++}.json`);
  writeFileSync(file, JSON.stringify(job));
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(root, 'bench/load-cli.ts'), file], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as LoadResult | SubscriptionLoadResult;
}
