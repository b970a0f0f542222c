import type { EntityManager } from '@mikro-orm/postgresql';
import type { Disposable } from '../../kernel/events/bus';
import type { Runtime } from '../../kernel/runtime';
import { FrequencyCaps } from './serving/frequency-caps';

/** What the ads subgraph keeps for the life of its process: the frequency-cap gate and its circuit. */
export interface AdsServices {
  caps: FrequencyCaps;
}

/**
 * Per runtime, keyed by the ORM configuration that every EntityManager forked from the runtime's
 * ORM shares: the kernel hands a subgraph its runtime only when starting its workers, and a
 * request reaches it through the context's EntityManager. Keyed per runtime (not a module global)
 * because tests run several stacks, with different Redis clients, in one process.
 */
const servicesByOrm = new WeakMap<object, AdsServices>();

/** Builds the ads services on the runtime's Redis; disposing them unbinds them. */
export function startAdsServices(runtime: Runtime): Disposable {
  const caps = new FrequencyCaps(runtime.redis, {
    logger: runtime.logger.child({ subgraph: 'ads', component: 'frequency-caps' }),
    timeoutMs: runtime.config.ads.capTimeoutMs,
    cooldownMs: runtime.config.ads.capCooldownMs,
    warnEveryMs: runtime.config.ads.degradedWarnEveryMs,
  });
  const key = runtime.orm.em.config;
  servicesByOrm.set(key, { caps });
  return {
    dispose: async () => {
      caps.dispose();
      servicesByOrm.delete(key);
    },
  };
}

/** The services of the runtime `em` was forked from. */
export function adsServicesOf(em: EntityManager): AdsServices {
  const services = servicesByOrm.get(em.config);
  if (!services) throw new Error('The ads services were not started on this runtime (startWorkers was not called).');
  return services;
}
