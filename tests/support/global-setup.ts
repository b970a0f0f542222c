import { recreateDatabase } from '../../kernel/db/recreate-database';
import { loadServicesEnv } from './env';

/** Starts every run on an empty test database; each stack then applies the migrations itself. */
export default async function globalSetup(): Promise<void> {
  loadServicesEnv();
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests with `npm test`, which starts the services.');
  await recreateDatabase(url);
}
