import type { EntityManager } from '@mikro-orm/postgresql';
import { RedisLivePublisher, type LiveEventPublisher } from '../../kernel/live/live-events';
import type { Logger } from '../../kernel/logger';
import type { Runtime } from '../../kernel/runtime';
import { OfferTokens } from './offer-token';
import { WaitlistQueue } from './queue';

/** What the waitlist needs from its process beyond a request's EntityManager. */
export interface WaitlistServices {
  queue: WaitlistQueue;
  tokens: OfferTokens;
  live: LiveEventPublisher;
  /** How long an offer stays open. */
  offerTtlMs: number;
  logger: Logger;
}

/**
 * Services by ORM configuration. The kernel hands a request only a fork of the runtime's
 * EntityManager; every fork shares its ORM's Configuration object, so that object tells which runtime
 * (and so which Redis and secrets) a request belongs to, even with two stacks in one test process.
 */
const byOrmConfig = new WeakMap<object, WaitlistServices>();

/** Builds the waitlist's services on a runtime; called once per runtime, from `startWorkers`. */
export function registerWaitlistServices(runtime: Runtime): WaitlistServices {
  const logger = runtime.logger.child({ component: 'waitlist' });
  const services: WaitlistServices = {
    queue: new WaitlistQueue({ redis: runtime.redis, orm: runtime.orm, logger }),
    tokens: OfferTokens.fromSecrets({
      offerSecret: runtime.config.waitlist.offerSecret,
      subgraphSecret: runtime.config.auth.subgraphSecret,
    }),
    live: new RedisLivePublisher(runtime.redis, (error) => logger.warn({ err: error }, 'live waitlist change not published')),
    offerTtlMs: Math.round(runtime.config.waitlist.offerTtlMinutes * 60_000),
    logger,
  };
  byOrmConfig.set(runtime.orm.config, services);
  return services;
}

/** The services of the runtime `em` was forked from. */
export function waitlistServicesFor(em: EntityManager): WaitlistServices {
  const services = byOrmConfig.get(em.config);
  if (!services) throw new Error('The waitlist services were not started on this runtime (serveSubgraphs starts them).');
  return services;
}
