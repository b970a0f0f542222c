import { Client } from 'pg';

/**
 * Drops and recreates the database a postgres:// URL names (through the server's `postgres`
 * database), so a test run or a benchmark starts empty. Never used by the services themselves.
 */
export async function recreateDatabase(url: string): Promise<void> {
  const database = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database}" with (force)`);
    await client.query(`create database "${database}"`);
  } finally {
    await client.end();
  }
}
