import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { parseEnvelope, type Envelope } from '../../kernel/events/envelope';

const KAFKA_SCRIPT = path.resolve(__dirname, '../../scripts/services/kafka.sh');

/** Stops the real test broker (the fault the outbox must survive). */
export function stopBroker(): void {
  execFileSync('bash', [KAFKA_SCRIPT, 'stop'], { stdio: 'pipe', timeout: 60_000 });
}

/** Starts the test broker again and waits until it serves. */
export function startBroker(): void {
  execFileSync('bash', [KAFKA_SCRIPT, 'start'], { stdio: 'pipe', timeout: 120_000 });
}

export function testKafka(): Kafka {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: these tests need the real broker that `npm test` starts.');
  return new Kafka({ clientId: 'tests', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** Collects every envelope on a topic from its beginning, through a fresh consumer group (values that are not envelopes are skipped). */
export async function collectTopic(topic: string): Promise<{ envelopes: Envelope[]; keys: (string | null)[]; stop(): Promise<void> }> {
  const consumer: Consumer = testKafka().consumer({ groupId: `tests-${topic}-${Date.now()}`, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  const envelopes: Envelope[] = [];
  const keys: (string | null)[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      // Other suites put malformed values on the shared topics on purpose; a parse error here would
      // make kafkajs retry that message forever and stall the whole partition.
      const envelope = parseEnvelope(message.value);
      if (!envelope) return;
      envelopes.push(envelope);
      keys.push(message.key?.toString() ?? null);
    },
  });
  return { envelopes, keys, stop: () => consumer.disconnect() };
}
