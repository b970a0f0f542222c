import type { Outcome } from './load';

/** A fault: from the SIGKILL until its replacement has been ready for a moment. */
export interface KillWindow {
  replica: string;
  from: number;
  to: number;
}

/** Failed responses (5xx, or none at all) inside and outside the kill windows. */
export function classifyFailures(outcomes: Outcome[], windows: KillWindow[]) {
  const inside = (outcome: Outcome) => windows.some((w) => outcome.endedAt >= w.from && outcome.startedAt <= w.to);
  const count = (filter: (outcome: Outcome) => boolean) => {
    const matched = outcomes.filter(filter);
    return { total: matched.length, inside: matched.filter(inside).length, outside: matched.filter((o) => !inside(o)).length };
  };
  return {
    requests: count(() => true),
    http5xx: count((o) => o.status >= 500),
    noResponse: count((o) => o.status === 0),
    graphqlErrors: count((o) => o.status > 0 && o.status < 500 && o.errorCode !== undefined),
  };
}
