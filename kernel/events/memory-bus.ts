import type { Logger } from '../logger';
import type { Disposable, EventBus, MessageHandler, SubscriptionOptions } from './bus';
import type { IncomingMessage, OutgoingMessage } from './envelope';
import { consumeInSpan } from './message-tracing';

interface Group {
  handlers: MessageHandler[];
  next: number;
  /** Index in the topic log each topic has been delivered up to. */
  delivered: Map<string, number>;
  chain: Promise<void>;
}

/**
 * In-process {@link EventBus} for the embedded default only: a topic log, consumer groups that each
 * see every message once, delivery in order per group. Never used when KAFKA_BROKERS is set.
 */
export class MemoryBus implements EventBus {
  private readonly logs = new Map<string, IncomingMessage[]>();
  private readonly groups = new Map<string, { topics: string[]; group: Group }>();

  constructor(private readonly logger: Logger) {}

  async publish(messages: OutgoingMessage[]): Promise<void> {
    for (const message of messages) {
      const log = this.logs.get(message.topic) ?? [];
      log.push({ topic: message.topic, key: message.key, envelope: message.envelope, headers: message.headers });
      this.logs.set(message.topic, log);
    }
    for (const [groupId, { topics, group }] of this.groups) {
      if (messages.some((m) => topics.includes(m.topic))) this.drain(groupId, topics, group);
    }
  }

  async subscribe(options: SubscriptionOptions): Promise<Disposable> {
    let entry = this.groups.get(options.groupId);
    if (!entry) {
      const delivered = new Map<string, number>();
      for (const topic of options.topics) {
        delivered.set(topic, options.fromBeginning === false ? (this.logs.get(topic)?.length ?? 0) : 0);
      }
      entry = { topics: options.topics, group: { handlers: [], next: 0, delivered, chain: Promise.resolve() } };
      this.groups.set(options.groupId, entry);
    }
    entry.group.handlers.push(options.handler);
    this.drain(options.groupId, entry.topics, entry.group);
    const group = entry.group;
    return {
      dispose: async () => {
        group.handlers = group.handlers.filter((handler) => handler !== options.handler);
        await group.chain;
      },
    };
  }

  async dispose(): Promise<void> {
    await Promise.allSettled([...this.groups.values()].map(({ group }) => group.chain));
    this.groups.clear();
  }

  private drain(groupId: string, topics: string[], group: Group): void {
    group.chain = group.chain.then(async () => {
      for (const topic of topics) {
        const log = this.logs.get(topic) ?? [];
        let index = group.delivered.get(topic) ?? 0;
        while (index < log.length && group.handlers.length > 0) {
          const handler = group.handlers[group.next++ % group.handlers.length];
          try {
            const message = log[index];
            await consumeInSpan(groupId, message, () => handler(message));
            index += 1;
            group.delivered.set(topic, index);
          } catch (error) {
            this.logger.error({ err: error, groupId, topic }, 'in-process consumer failed; will retry');
            setTimeout(() => this.drain(groupId, topics, group), 1000).unref();
            return;
          }
        }
      }
    });
  }
}
