/**
 * One analytics consumer replica as its own process, for tests that kill a replica outright:
 *   node --import tsx tests/support/analytics-replica.ts
 * with the test services' variables and TEST_TOPIC / TEST_GROUP (the run's own topic and group).
 * Prints `ready` once started and `stored <envelope id>` after each message its handler finished.
 */
import { loadConfig } from '../../kernel/config';
import { createLogger } from '../../kernel/logger';
import { createRuntime } from '../../kernel/runtime';
import { startMonetizationConsumer } from '../../subgraphs/analytics/ingestion/consumer';
import { allEntities } from '../../subgraphs/entities';

async function main(): Promise<void> {
  const topic = process.env.TEST_TOPIC;
  const groupId = process.env.TEST_GROUP;
  if (!topic || !groupId) throw new Error('TEST_TOPIC and TEST_GROUP must be set');
  const config = loadConfig({ ...process.env, RUN_MIGRATIONS: 'false' });
  const runtime = await createRuntime(config, createLogger(process.env.LOG_LEVEL ?? 'warn'), { entities: allEntities, workers: false });
  // Reports each handled message to the test; the handler itself is the real one.
  const subscribe = runtime.bus.subscribe.bind(runtime.bus);
  runtime.bus.subscribe = (options) =>
    subscribe({
      ...options,
      handler: async (message) => {
        await options.handler(message);
        process.stdout.write(`stored ${message.envelope.id}\n`);
      },
    });
  const consumer = await startMonetizationConsumer(runtime, { topic, groupId });
  process.stdout.write('ready\n');
  const stop = async () => {
    await consumer.dispose();
    await runtime.shutdown.dispose();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
