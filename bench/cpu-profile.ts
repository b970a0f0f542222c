import { mkdirSync, writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector/promises';
import path from 'node:path';

/** A CPU profile of this process taken while `work` runs only, sampled every `intervalUs` microseconds. */
export async function profileWhile<T>(intervalUs: number, work: () => Promise<T>): Promise<{ result: T; profile: Profiler.Profile }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    const result = await work();
    const { profile } = await session.post('Profiler.stop');
    return { result, profile };
  } finally {
    session.disconnect();
  }
}

/** Writes a profile to bench/results/profiles/ (not committed) as `<name>-<time>.cpuprofile`; returns its path. */
export function saveProfile(name: string, profile: Profiler.Profile): string {
  const dir = path.resolve(__dirname, 'results/profiles');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

/** Runs a bench script's `main` and exits with its outcome (load generators and pools may linger). */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
