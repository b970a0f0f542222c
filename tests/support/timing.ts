/**
 * The tests' one set of waiting helpers. Tests assert behaviour and counts, never how fast
 * something happened: a benchmark measures speed (bench/), a test waits for an outcome.
 */

/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a truthy value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(100);
  }
}

/**
 * Asserts that nothing changes for `ms`: `snapshot` (a count, a list of what arrived) reads the
 * same after the wait as before it. For "and nothing else arrives" checks.
 */
export async function expectQuietFor(ms: number, snapshot: () => unknown): Promise<void> {
  const before = JSON.stringify(snapshot());
  await sleep(ms);
  expect(JSON.stringify(snapshot())).toBe(before);
}
