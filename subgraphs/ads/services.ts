import type { Disposable } from '../../kernel/events/bus';
import type { Runtime } from '../../kernel/runtime';
import { adsConfig } from './config';
import { AnonymousImpressions } from './anonymous-impressions';
import { FrequencyCaps } from './serving/frequency-caps';

/** What the ads subgraph keeps for the life of its process: the frequency-cap gate and its circuit. */
export interface AdsServices {
  caps: FrequencyCaps;
  anonymousImpressions: AnonymousImpressions;
}

/** Builds the ads services on the runtime's Redis; disposing them stops the gate's timers. */
export function createAdsServices(runtime: Runtime): AdsServices & Disposable {
  const settings = adsConfig.of(runtime.config);
  const caps = new FrequencyCaps(runtime.redis, {
    logger: runtime.logger.child({ subgraph: 'ads', component: 'frequency-caps' }),
    timeoutMs: settings.capTimeoutMs,
    cooldownMs: settings.capCooldownMs,
    warnEveryMs: settings.degradedWarnEveryMs,
  });
  const anonymousImpressions = new AnonymousImpressions(
    runtime.redis,
    settings.anonymousImpressionWindowMs,
    runtime.logger.child({ subgraph: 'ads', component: 'anonymous-impressions' }),
  );
  return {
    caps,
    anonymousImpressions,
    dispose: async () => caps.dispose(),
  };
}
