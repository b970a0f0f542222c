import {
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  isBrokenCircuitError,
  timeout,
  TimeoutStrategy,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import type { Logger } from '../../../kernel/logger';
import type { Redis } from '../../../kernel/redis';
import { counter, sampledGauge } from '../../../kernel/observability/metrics';
import { redisKeysOf } from '../../../kernel/redis-keys';
import { ThrottledWarning } from './throttled-warning';

/** Caps count impressions per user and ad over a fixed 24-hour window from the first one. */
export const FREQUENCY_WINDOW_SECONDS = 24 * 60 * 60;

/** An ad that could be served, with its cap (null: no cap, but its impressions are still counted). */
export interface CapCandidate {
  adId: string;
  cap: number | null;
}

/** The positions (in the candidates' order) to serve, or `checked: false` when Redis could not answer. */
export type CapDecision = { checked: true; picked: number[] } | { checked: false };

export interface FrequencyCapsOptions {
  logger: Logger;
  /** How long one check may take before it counts as failed (short: a page is waiting). */
  timeoutMs: number;
  /** How long the circuit stays open, Redis untouched, before one trial call. */
  cooldownMs: number;
  /** Consecutive failures that open the circuit. */
  failuresToOpen?: number;
  /** The degraded warning is logged at most once per this many milliseconds. */
  warnEveryMs: number;
}

/** The counter of one user and ad; the hash tag keeps a user's counters in one cluster slot, as EVAL needs. */
export const capKey = (userId: string, adId: string) => redisKeysOf(undefined).adFrequency(userId, adId);

/**
 * KEYS: the user's counters, in order of preference. ARGV[1]: how many to pick; ARGV[2]: the window
 * in seconds; ARGV[2 + i]: the cap of KEYS[i], 0 for none. Walks the candidates, picks those under
 * their cap until it has enough, and counts one impression for each pick, setting the window's
 * expiry on a new counter. Returns the picked positions (1-based) as comma-separated text: a Lua
 * table would do on Redis, but the embedded stand-in (ioredis-mock) cannot return one. Atomic, so
 * two concurrent requests of one user cannot both take the last impression under a cap.
 */
const PICK_AND_COUNT = `
local wanted = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local picked = {}
for i, key in ipairs(KEYS) do
  if #picked >= wanted then break end
  local cap = tonumber(ARGV[2 + i])
  local seen = tonumber(redis.call('GET', key) or '0')
  if cap == 0 or seen < cap then
    redis.call('INCR', key)
    if redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, window) end
    picked[#picked + 1] = i
  end
end
return table.concat(picked, ',')
`;

/**
 * Frequency caps in Redis, failing closed. Each check is one round trip (one EVAL: plain EVAL rather
 * than EVALSHA, so a Redis that restarted and lost its script cache costs no second trip), bounded
 * by a short timeout, behind a circuit breaker: after a few consecutive failures Redis is left alone
 * for a cool-down, then tried once; a success closes the circuit again. While checks fail the
 * caller gets `checked: false` and must serve as if every cap were reached.
 *
 * A check that times out may still run on Redis later: it then counts impressions that were not
 * served, which errs on the side of fewer impressions, never more.
 */
const degradedAnswers = counter({
  name: 'ads_frequency_cap_degraded_total',
  help: 'Ad answers served degraded (at most one uncapped ad) because the frequency caps could not be checked.',
});
const circuitState = sampledGauge(
  'ads_frequency_cap_circuit_state',
  'Circuit breaker of the ad frequency caps: 1 for the state it is in (closed, open, half-open), 0 for the others.',
  ['state'] as const,
);
const CIRCUIT_STATES = ['closed', 'open', 'half-open'] as const;

export class FrequencyCaps {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly policy: IPolicy;
  private readonly warning: ThrottledWarning;
  private readonly listeners: { dispose(): void }[];
  private readonly stopObserving: () => void;

  constructor(
    private readonly redis: Redis,
    options: FrequencyCapsOptions,
  ) {
    this.breaker = circuitBreaker(handleAll, {
      halfOpenAfter: options.cooldownMs,
      breaker: new ConsecutiveBreaker(options.failuresToOpen ?? 3),
    });
    this.policy = wrap(this.breaker, timeout(options.timeoutMs, TimeoutStrategy.Aggressive));
    this.warning = new ThrottledWarning(options.logger, options.warnEveryMs);
    this.listeners = [
      this.breaker.onBreak(() =>
        options.logger.warn(
          { cooldownMs: options.cooldownMs },
          'ad frequency caps: circuit opened, Redis left alone for the cool-down',
        ),
      ),
      this.breaker.onReset(() => options.logger.info('ad frequency caps: Redis answers again, normal serving resumed')),
    ];
    this.stopObserving = circuitState.add(() => CIRCUIT_STATES.map((state) => ({ labels: { state }, value: this.circuit === state ? 1 : 0 })));
  }

  /**
   * Picks up to `limit` of `candidates` (in order of preference) that `userId` has seen fewer times
   * than their cap in the window, and counts one impression for each pick.
   */
  async pick(userId: string, candidates: readonly CapCandidate[], limit: number): Promise<CapDecision> {
    if (candidates.length === 0 || limit < 1) return { checked: true, picked: [] };
    const keys = candidates.map((candidate) => capKey(userId, candidate.adId));
    const caps = candidates.map((candidate) => candidate.cap ?? 0);
    try {
      // A signal of its own per call: by default cockatiel hangs every concurrent call's listener
      // on one shared signal, and Node warns of a leak past ten concurrent requests.
      const picked = await this.policy.execute(
        () => this.redis.eval(PICK_AND_COUNT, keys.length, ...keys, limit, FREQUENCY_WINDOW_SECONDS, ...caps),
        new AbortController().signal,
      );
      return { checked: true, picked: parsePositions(picked, candidates.length) };
    } catch (error) {
      // While the circuit is open the error only says so; the last real failure says why.
      const last = this.breaker.lastFailure;
      const cause = isBrokenCircuitError(error) && last && 'error' in last ? last.error : error;
      this.warning.note('ad frequency caps unavailable: serving at most one uncapped ad', {
        err: cause,
        circuit: this.circuit,
      });
      degradedAnswers.inc();
      return { checked: false };
    }
  }

  /** `closed` (Redis in use), `open` (cool-down, Redis untouched) or `half-open` (one trial call). */
  get circuit(): 'closed' | 'open' | 'half-open' {
    const state = this.breaker.state;
    if (state === CircuitState.Closed) return 'closed';
    return state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  dispose(): void {
    for (const listener of this.listeners) listener.dispose();
    this.stopObserving();
  }
}

/** Reads the script's answer; anything unexpected is a failed check, never a licence to serve. */
function parsePositions(answer: unknown, count: number): number[] {
  if (typeof answer !== 'string') throw new TypeError(`unexpected frequency-cap answer: ${typeof answer}`);
  if (answer === '') return [];
  return answer.split(',').map((text) => {
    const position = Number(text);
    if (!Number.isInteger(position) || position < 1 || position > count) {
      throw new TypeError(`unexpected frequency-cap position: ${text.slice(0, 20)}`);
    }
    return position - 1;
  });
}
