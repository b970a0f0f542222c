import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import type { Logger } from '../logger';
import type { Disposable, EventBus, SubscriptionOptions } from './bus';
import { parseEnvelope, type OutgoingMessage } from './envelope';
import { consumeInSpan } from './message-tracing';
import { countConsumed, observeConsumerLag } from './consumer-metrics';

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Put before every consumer group id. */
  groupPrefix?: string;
  /** Partitions of the topics this bus creates (KAFKA_TOPIC_PARTITIONS); default 6. */
  topicPartitions?: number;
  logger: Logger;
}

export const DEFAULT_TOPIC_PARTITIONS = 6;

/**
 * {@link EventBus} on Kafka through kafkajs: acks from all in-sync replicas, JSON envelopes keyed by
 * aggregate (the outbox's message key), so one aggregate's messages land on one partition in order
 * while a consumer group spreads the partitions over its replicas. Topics are created with
 * `topicPartitions` partitions before the first publish or subscribe, never left to the broker's
 * auto-creation (whose default is often one partition). An existing topic keeps its partitions:
 * adding some would move keys to other partitions and break their order for a while.
 */
export class KafkaBus implements EventBus {
  private readonly kafka: Kafka;
  private producer?: Producer;
  private producerConnecting?: Promise<Producer>;
  private readonly consumers = new Set<Consumer>();
  /** Topics known to exist, so publishing asks the broker only once per topic. */
  private readonly ensured = new Set<string>();

  constructor(private readonly options: KafkaBusOptions) {
    const log = options.logger.child({ component: 'kafka' });
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      // The outbox relay owns retries of publishing; keep each attempt short so a dead broker
      // does not hold the relay for minutes.
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2000 },
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log: entry }) => {
          const { message, ...rest } = entry;
          if (level <= logLevel.ERROR) log.error(rest, message);
          else log.warn(rest, message);
        },
    });
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.ensureTopics([...new Set(messages.map((message) => message.topic))]);
    const producer = await this.connectedProducer();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const message of messages) {
      byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
    }
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((m) => ({
            key: m.key,
            value: JSON.stringify(m.envelope),
            headers: { ...m.headers, 'message-id': m.envelope.id, 'message-type': m.envelope.type },
          })),
        })),
      });
    } catch (error) {
      // A broken producer is rebuilt on the next attempt rather than reused in an unknown state.
      await this.dropProducer();
      throw error;
    }
  }

  async subscribe(options: SubscriptionOptions): Promise<Disposable> {
    const log = this.options.logger.child({ component: 'kafka-consumer', groupId: options.groupId });
    const groupId = `${this.options.groupPrefix ?? ''}${options.groupId}`;
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    try {
      await this.ensureTopics(options.topics);
      observeConsumerLag(consumer, options.groupId);
      await consumer.connect();
      for (const topic of options.topics) {
        await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
      }
      // eachMessage resolves before kafkajs commits the offset: a handler that throws is retried.
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          const envelope = parseEnvelope(message.value);
          if (!envelope) {
            log.warn({ topic, offset: message.offset }, 'skipping a message that is not a valid envelope');
            countConsumed(options.groupId, topic, 'invalid');
            return;
          }
          const headers = textHeaders(message.headers);
          try {
            await consumeInSpan(groupId, { topic, headers }, () => options.handler({ topic, key: message.key?.toString() ?? null, envelope, headers }));
          } catch (error) {
            countConsumed(options.groupId, topic, 'error');
            throw error;
          }
          countConsumed(options.groupId, topic, 'ok');
        },
      });
    } catch (error) {
      // A consumer that connected but could not subscribe or run would otherwise linger.
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    this.consumers.add(consumer);
    return {
      dispose: async () => {
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    await this.dropProducer();
  }

  /**
   * Creates missing topics with the configured partitions before the first publish or subscribe: a
   * group joined to a topic that does not exist yet waits on metadata retries instead of consuming.
   */
  private async ensureTopics(topics: string[]): Promise<void> {
    const unknown = topics.filter((topic) => !this.ensured.has(topic));
    if (unknown.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = unknown.filter((topic) => !existing.has(topic));
      if (missing.length > 0) {
        const numPartitions = this.options.topicPartitions ?? DEFAULT_TOPIC_PARTITIONS;
        // false when another process created one first: either way the topic exists now.
        await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions })) });
      }
      for (const topic of unknown) this.ensured.add(topic);
    } finally {
      await admin.disconnect();
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.producerConnecting ??= (async () => {
      const producer = this.kafka.producer({ allowAutoTopicCreation: true, idempotent: false });
      try {
        await producer.connect();
      } catch (error) {
        this.producerConnecting = undefined;
        await producer.disconnect().catch(() => undefined);
        throw error;
      }
      this.producer = producer;
      return producer;
    })();
    return this.producerConnecting;
  }

  private async dropProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    this.producerConnecting = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}

/** Kafka's headers (Buffers, possibly repeated) as strings, first value of each. */
function textHeaders(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const one = Array.isArray(value) ? value[0] : value;
    if (one !== undefined) text[name] = one.toString();
  }
  return text;
}
