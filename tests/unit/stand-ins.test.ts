import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../../kernel/config';
import type { Logger } from '../../kernel/logger';
import { createRuntime } from '../../kernel/runtime';
import { checkStandIns } from '../../kernel/stand-ins';

/** Issue 16: production never runs on stand-ins; elsewhere a partial set says which parts are stand-ins. */
const SECRETS = {
  AUTH_JWT_SECRET: 'a-production-jwt-secret-0123456789abcdef',
  SUBGRAPH_SECRET: 'a-production-subgraph-secret-0123456789ab',
};
const SERVICES = { DATABASE_URL: 'postgres://u:p@db.internal:5432/app', REDIS_URL: 'redis://cache.internal:6379', KAFKA_BROKERS: 'kafka.internal:9092' };

function capturingLogger() {
  const warnings: string[] = [];
  const logger = { warn: (_fields: unknown, message: string) => warnings.push(message) } as unknown as Logger;
  return { logger, warnings };
}

describe('stand-ins for PostgreSQL, Redis and Kafka', () => {
  it.each(['DATABASE_URL', 'REDIS_URL', 'KAFKA_BROKERS'] as const)('stops production without %s, naming it', (missing) => {
    const env: Record<string, string> = { NODE_ENV: 'production', ...SECRETS, ...SERVICES };
    delete env[missing];
    const { logger } = capturingLogger();
    expect(() => checkStandIns(loadConfig(env), logger)).toThrow(new RegExp(`Environment variable ${missing} must be set in production`));
  });

  it('names every missing variable at once in production', () => {
    const { logger } = capturingLogger();
    expect(() => checkStandIns(loadConfig({ NODE_ENV: 'production', ...SECRETS }), logger)).toThrow(/DATABASE_URL.*REDIS_URL.*KAFKA_BROKERS/s);
  });

  it('lets production start with all three', () => {
    const { logger, warnings } = capturingLogger();
    expect(() => checkStandIns(loadConfig({ NODE_ENV: 'production', ...SECRETS, ...SERVICES }), logger)).not.toThrow();
    expect(warnings).toEqual([]);
  });

  it('outside production, says which parts of a partial set are stand-ins', () => {
    const { logger, warnings } = capturingLogger();
    checkStandIns(loadConfig({ NODE_ENV: 'development', REDIS_URL: SERVICES.REDIS_URL }), logger);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^DATABASE_URL is not set: using an in-process PostgreSQL/);
    expect(warnings[1]).toMatch(/^KAFKA_BROKERS is not set: using an in-process event bus/);
  });

  it('leaves the fully embedded default to announce itself', () => {
    const { logger, warnings } = capturingLogger();
    checkStandIns(loadConfig({ NODE_ENV: 'development' }), logger);
    expect(warnings).toEqual([]);
  });

  it('refuses before opening anything: createRuntime in production without services rejects', async () => {
    const { logger } = capturingLogger();
    await expect(createRuntime(loadConfig({ NODE_ENV: 'production', ...SECRETS }), logger, { entities: [] })).rejects.toThrow(/DATABASE_URL/);
  });

  it.each([
    ['npm start (main.ts)', ['main.ts']],
    ['one subgraph (subgraphs/main.ts offers)', ['subgraphs/main.ts', 'offers']],
  ])('%s exits 1 with the sentence instead of running on PGlite with demo data', (_name, args) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', ...args], {
      cwd: path.resolve(__dirname, '../..'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', ...SECRETS, REDIS_URL: SERVICES.REDIS_URL, KAFKA_BROKERS: SERVICES.KAFKA_BROKERS },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Environment variable DATABASE_URL must be set in production/);
    expect(result.stdout + result.stderr).not.toMatch(/EMBEDDED MODE|PGlite ready|demo/i);
  }, 90_000);
});
