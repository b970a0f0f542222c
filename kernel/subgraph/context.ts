import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../auth/identity';
import type { Logger } from '../logger';
import type { EventAccess } from '../platform/access';
import type { RateLimiter } from '../rate-limit';

/**
 * What every subgraph resolver receives: the caller, a forked EntityManager of its own, batched
 * access answers, the subgraph's own per-request loaders and its per-process services.
 */
export interface SubgraphContext<TLoaders = unknown, TServices = unknown, TRequestServices = unknown> {
  identity: Identity | null;
  /** True when the request carried the gateway's signed proof. */
  fromGateway: boolean;
  /** An anonymous caller's address, as the gateway signed it; null for signed-in callers. */
  clientAddress: string | null;
  em: EntityManager;
  access: EventAccess;
  loaders: TLoaders;
  /** The subgraph's long-lived services (one set per process), from its `createServices`. */
  services: TServices;
  /** The subgraph's services for this request only (they hold its EntityManager and caller), from its `createRequestServices`. */
  requestServices: TRequestServices;
  logger: Logger;
  /** Shared by the subgraph's requests; see `rateLimitRule`. */
  rateLimiter: RateLimiter;
}
