import { RedisLivePublisher, type LiveEventPublisher } from '../../kernel/live/live-publisher';
import type { Logger } from '../../kernel/logger';
import type { Runtime } from '../../kernel/runtime';
import { waitlistConfig } from './config';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../../kernel/auth/identity';
import type { EventAccess } from '../../kernel/platform/access';
import { AttendeeService } from './attendee-service';
import { OfferTokens } from './offer-token';
import { OrganizerService } from './organizer-service';
import { WaitlistQueue } from './queue/queue';

/** What the waitlist needs from its process beyond a request's EntityManager. */
export interface WaitlistServices {
  queue: WaitlistQueue;
  tokens: OfferTokens;
  live: LiveEventPublisher;
  /** How long an offer stays open. */
  offerTtlMs: number;
  logger: Logger;
}

/** Builds the waitlist's services on a runtime, once per process (the subgraph's `createServices`). */
export function createWaitlistServices(runtime: Runtime): WaitlistServices {
  const logger = runtime.logger.child({ component: 'waitlist' });
  const settings = waitlistConfig.of(runtime.config);
  const services: WaitlistServices = {
    queue: new WaitlistQueue({ redis: runtime.redis, orm: runtime.orm, logger }),
    tokens: OfferTokens.fromSecrets({
      offerSecret: settings.offerSecret,
      subgraphSecret: runtime.config.auth.subgraphSecret,
    }),
    live: new RedisLivePublisher(runtime.redis, (error) => logger.warn({ err: error }, 'live waitlist change not published')),
    offerTtlMs: Math.round(settings.offerTtlMinutes * 60_000),
    logger,
  };
  return services;
}

/** The waitlist's rules for one request: what attendees do and what organizers do. */
export interface WaitlistRequestServices {
  attendee: AttendeeService;
  organizer: OrganizerService;
}

/** Builds the request's services on its EntityManager and caller (the subgraph's `createRequestServices`). */
export function createWaitlistRequestServices(
  em: EntityManager,
  access: EventAccess,
  identity: Identity | null,
  services: WaitlistServices,
): WaitlistRequestServices {
  return { attendee: new AttendeeService(em, access, identity, services), organizer: new OrganizerService(em, identity, services) };
}
