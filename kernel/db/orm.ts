import { MikroORM, PostgreSqlDriver, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { EntitySchema } from '@mikro-orm/core';
import { migrationsList } from '../../migrations';
import type { Logger } from '../logger';
import { scopeOrmAsyncContexts } from './orm-async-contexts';

export type { MikroORM };

export interface OrmOptions {
  /** A postgres:// URL; without it the ORM runs on an in-process PGlite database. */
  url?: string;
  poolMax?: number;
  entities: EntitySchema<any>[];
  logger: Logger;
}

/**
 * Opens the ORM on PostgreSQL or, on the embedded default, on PGlite (same SQL dialect), its async
 * contexts scoped to the writes that use them (orm-async-contexts.ts).
 */
export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  const orm = await openOrm(options);
  await scopeOrmAsyncContexts(orm);
  return orm;
}

async function openOrm(options: OrmOptions): Promise<MikroORM> {
  const common: Options = {
    entities: options.entities,
    discovery: { warnWhenNoEntities: true },
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    ignoreUndefinedInQuery: true,
    debug: false,
    logger: (message) => options.logger.debug({ component: 'orm' }, message),
  };
  if (options.url) {
    return MikroORM.init({
      ...common,
      driver: PostgreSqlDriver,
      clientUrl: options.url,
      // Fail fast while PostgreSQL is away, so requests answer SERVICE_DEGRADED instead of hanging.
      pool: { min: 0, max: options.poolMax ?? 10, acquireTimeoutMillis: 5000 },
      driverOptions: { connection: { connectionTimeoutMillis: 3000 } },
    });
  }
  // Loaded lazily so that processes on real PostgreSQL never load the WASM build.
  const { PGliteDriver } = await import('mikro-orm-pglite');
  return MikroORM.init({ ...common, driver: PGliteDriver as unknown as typeof PostgreSqlDriver, dbName: 'postgres' });
}

/** Applies every pending committed migration; returns the names applied. */
export async function runMigrations(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((migration) => migration.name);
}

/** Listens to every SQL statement the ORM sends; returns a function that stops listening. */
export function onSqlStatement(orm: MikroORM, listener: (sql: string) => void): () => void {
  const knex = orm.em.getConnection().getKnex();
  const handler = (query: { sql: string }) => listener(query.sql);
  knex.on('query', handler);
  return () => knex.off('query', handler);
}
