import type { EntityManager } from '@mikro-orm/postgresql';
import type { Identity } from '../auth/identity';
import type { Logger } from '../logger';
import type { EventAccess } from '../platform/access';
import type { RateLimiter } from '../rate-limit';

/**
 * What every subgraph resolver receives: the caller, a forked EntityManager of its own, batched
 * access answers, and the subgraph's own per-request loaders.
 */
export interface SubgraphContext<TLoaders = unknown> {
  identity: Identity | null;
  /** True when the request carried the gateway's signed proof. */
  fromGateway: boolean;
  em: EntityManager;
  access: EventAccess;
  loaders: TLoaders;
  logger: Logger;
  /** Shared by the subgraph's requests; see `rateLimitRule`. */
  rateLimiter: RateLimiter;
}
