import { loadConfig } from './kernel/config';
import { createLogger } from './kernel/logger';
import { createOrm, runMigrations } from './kernel/db/orm';
import { allEntities } from './subgraphs/entities';

/** `npm run migrate`: applies the committed migrations to DATABASE_URL and exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { component: 'migrate' });
  if (!config.database.url) throw new Error('Environment variable DATABASE_URL must be set to run migrations.');
  const orm = await createOrm({ url: config.database.url, entities: allEntities, logger });
  try {
    const applied = await runMigrations(orm);
    logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'database is up to date');
  } finally {
    await orm.close(true);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
