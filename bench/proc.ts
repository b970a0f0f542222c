import { readFileSync } from 'node:fs';

/** CPU and memory of a process, read from /proc (Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU time of the process so far, in ms (10 ms ticks). */
export function cpuMsOf(pid: number): number {
  // Fields after the command name: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Peak resident memory of the process so far (VmHWM), in MB. */
export function peakRssMbOf(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

