import path from 'node:path';
import { meterSql, type SqlMeter } from './sql-meter';
import { BENCH_SUBGRAPH_ENV } from './subgraph-env';

/**
 * The four subgraphs of a checkout (argv[2]: `--before`'s, or this one), in a process of their own on
 * the bench's database (already migrated and seeded by the runner; migrations are not run here).
 * Talks to the runner over IPC: `ready` with the URLs, then `meter-start` / `meter-stop` around a
 * load run. Imports the checkout's own modules, so what runs is that commit's subgraph code: its
 * TypeScript, or with `--compiled` (argv[3], through bench/compiled-host.cjs) its `dist/` as built by
 * `npm run build`.
 */
type HostMessage = { type: 'meter-start' } | { type: 'meter-stop' } | { type: 'stop' };

async function main(): Promise<void> {
  const root = path.resolve(process.argv[2]);
  const compiled = process.argv[3] === '--compiled';
  const load = (file: string) => import(compiled ? path.join(root, 'dist', file.replace(/\.ts$/, '.js')) : path.join(root, file));
  const { loadConfig, SUBGRAPH_NAMES } = await load('kernel/config.ts');
  const { createLogger } = await load('kernel/logger.ts');
  const { createRuntime } = await load('kernel/runtime.ts');
  const { allEntities } = await load('subgraphs/entities.ts');
  const { serveSubgraphs } = await load('subgraphs/serve.ts');
  // Since config sections (dd9fc49) loadConfig takes the subgraphs' sections; older commits have no registry.
  const sections = await load('subgraphs/registry.ts').then(
    (registry: { configSectionsOf?: () => unknown }) => registry.configSectionsOf?.(),
    () => undefined,
  );
  const config = loadConfig({ ...process.env, ...BENCH_SUBGRAPH_ENV, RUN_MIGRATIONS: 'false' }, ...(sections ? [sections] : []));
  const runtime = await createRuntime(config, createLogger('silent'), { entities: allEntities, workers: false });
  // Older commits take `portOf` itself as the third argument, newer ones an options object: this
  // value is both, a port function that also carries `portOf`.
  const anyPort = Object.assign(() => 0, { portOf: () => 0 });
  const running: { name: string; url: string }[] = await serveSubgraphs(runtime, [...SUBGRAPH_NAMES], anyPort);

  let redisCommands = 0;
  const redis = runtime.redis as { sendCommand: (...args: unknown[]) => unknown };
  const sendCommand = redis.sendCommand.bind(redis);
  redis.sendCommand = (...args: unknown[]) => {
    redisCommands += 1;
    return sendCommand(...args);
  };
  let meter: { sql: SqlMeter; redisFrom: number } | undefined;
  process.on('message', (message: HostMessage) => {
    if (message.type === 'meter-start') {
      meter?.sql.stop();
      meter = { sql: meterSql(runtime.orm.em.getConnection().getKnex()), redisFrom: redisCommands };
    } else if (message.type === 'meter-stop' && meter) {
      meter.sql.stop();
      process.send!({ type: 'meter', statements: meter.sql.statements, sqlMs: meter.sql.ms, redisCommands: redisCommands - meter.redisFrom });
      meter = undefined;
    } else if (message.type === 'stop') {
      void runtime.shutdown.dispose().finally(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', subgraphUrls: Object.fromEntries(running.map((subgraph) => [subgraph.name, subgraph.url])) });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
