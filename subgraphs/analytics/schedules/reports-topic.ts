import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import type { Disposable } from '../../../kernel/events/bus';
import { startWithRetry } from '../../../kernel/events/start-with-retry';
import type { Logger } from '../../../kernel/logger';
import { REPORTS_TOPIC, REPORTS_TOPIC_MAX_MESSAGE_BYTES } from './report-ready';

/**
 * Makes sure the reports topic takes messages as large as a 5 MB report in base64: created with
 * `max.message.bytes` if missing, altered if it was auto-created with the broker's 1 MB default
 * (a message over the limit would stay in the outbox, retried forever).
 */
export async function ensureReportsTopic(brokers: string[], clientId: string, numPartitions: number): Promise<void> {
  const admin = new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  await admin.connect();
  try {
    const configEntries = [{ name: 'max.message.bytes', value: String(REPORTS_TOPIC_MAX_MESSAGE_BYTES) }];
    if (!(await admin.listTopics()).includes(REPORTS_TOPIC)) {
      const created = await admin.createTopics({ waitForLeaders: true, topics: [{ topic: REPORTS_TOPIC, numPartitions, configEntries }] });
      if (created) return;
    }
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: REPORTS_TOPIC, configEntries }] });
  } finally {
    await admin.disconnect();
  }
}

/** {@link ensureReportsTopic} now, or in the background until the broker answers. */
export function prepareReportsTopic(
  brokers: string[] | undefined,
  clientId: string,
  numPartitions: number,
  logger: Logger,
): Promise<Disposable> {
  if (!brokers) return Promise.resolve({ dispose: async () => undefined });
  return startWithRetry(
    async () => {
      await ensureReportsTopic(brokers, clientId, numPartitions);
      return { dispose: async () => undefined };
    },
    logger,
    `the ${REPORTS_TOPIC} topic`,
  );
}
