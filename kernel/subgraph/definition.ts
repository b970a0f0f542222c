import type { Express } from 'express';
import { parse, type DocumentNode } from 'graphql';
import type { IRules } from 'graphql-shield';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConfigSection, SubgraphName } from '../config';
import { readSubgraphSdl } from './sdl';
import type { Identity } from '../auth/identity';
import type { Disposable } from '../events/bus';
import type { EventAccess } from '../platform/access';
import type { Runtime } from '../runtime';

/** One subgraph: its SDL beside its resolvers, its permissions, its loaders and its background work. */
export interface SubgraphDefinition<TLoaders = unknown, TServices = unknown, TRequestServices = unknown> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  /** The subgraph's own settings (its `config.ts`), validated with the kernel's at start. */
  config: ConfigSection<unknown>;
  /** Generated `Resolvers` of the subgraph, typed against its context (see codegen.ts). */
  resolvers: object;
  permissions: IRules;
  createLoaders(em: EntityManager, access: EventAccess, identity: Identity | null, services: TServices): TLoaders;
  /**
   * Services built for one request on its EntityManager and caller (the business rules resolvers
   * call), handed to resolvers as `context.requestServices`. Loaders stay loaders.
   */
  createRequestServices?(em: EntityManager, access: EventAccess, identity: Identity | null, services: TServices): TRequestServices;
  /**
   * Long-lived services built once per process on the runtime (a circuit breaker, a Redis-backed
   * gate) and handed to every request as `context.services`; disposed when the subgraph stops.
   */
  createServices?(runtime: Runtime): TServices & Partial<Disposable>;
  /** Consumers and schedulers the subgraph runs; each is disposed on shutdown. */
  startWorkers?(runtime: Runtime, services: TServices): Promise<Disposable[]>;
  /** Extra HTTP routes on the subgraph's server (for example webhooks). */
  addRoutes?(app: Express, runtime: Runtime, services: TServices): void;
}

/** Parses a subgraph's SDL files from its folder (copied next to the compiled code in dist/). */
export function loadTypeDefs(folder: string): DocumentNode {
  return parse(readSubgraphSdl(folder));
}
