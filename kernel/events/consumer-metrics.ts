import type { Consumer } from 'kafkajs';
import { counter, gauge } from '../observability/metrics';

const lag = gauge({
  name: 'kafka_consumer_lag_messages',
  help: 'Messages behind the end of the partition after the last batch a consumer handled, by consumer group, topic and partition.',
  labelNames: ['group', 'topic', 'partition'] as const,
});
const consumed = counter({
  name: 'kafka_messages_consumed_total',
  help: 'Messages handled by a consumer group, by outcome: ok, error (retried by kafkajs), invalid (not an envelope, skipped).',
  labelNames: ['group', 'topic', 'outcome'] as const,
});
const crashes = counter({
  name: 'kafka_consumer_crashes_total',
  help: 'Consumer crashes (kafkajs restarts the consumer when the error is retriable).',
  labelNames: ['group'] as const,
});

/**
 * Keeps the lag gauge of a group from kafkajs's own batch events: the lag the broker reported for
 * each batch's partition once the batch was handled. `group` is the name without the deployment prefix.
 */
export function observeConsumerLag(consumer: Consumer, group: string): void {
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    lag.set({ group, topic: payload.topic, partition: String(payload.partition) }, Number(payload.offsetLag));
  });
  consumer.on(consumer.events.CRASH, () => crashes.inc({ group }));
}

export function countConsumed(group: string, topic: string, outcome: 'ok' | 'error' | 'invalid'): void {
  consumed.inc({ group, topic, outcome });
}
