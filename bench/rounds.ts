import type { Summary } from './stats';

export type Row = Record<string, Summary | number | string>;

export interface ScenarioResult {
  id: string;
  title: string;
  measures: string;
  rows: Record<string, Row>;
  notes: string[];
}

/** Alternates the targets within each round (the order rotates every round), warm-up first. */
export async function rounds<T extends string, S>(
  targets: T[],
  count: number,
  runOne: (target: T, round: number) => Promise<S>,
  warmUp?: (target: T) => Promise<unknown>,
): Promise<Record<T, S[]>> {
  if (warmUp) for (const target of targets) await warmUp(target);
  const samples = Object.fromEntries(targets.map((target) => [target, [] as S[]])) as Record<T, S[]>;
  for (let round = 0; round < count; round += 1) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length]);
    for (const target of order) samples[target].push(await runOne(target, round));
  }
  return samples;
}
