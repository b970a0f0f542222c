import type { IncomingMessage, OutgoingMessage } from './envelope';

export type MessageHandler = (message: IncomingMessage) => Promise<void>;

export interface SubscriptionOptions {
  /** Consumers sharing a group id split the messages; each group sees every message. */
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  handler: MessageHandler;
}

export interface Disposable {
  dispose(): Promise<void>;
}

/**
 * The small event interface the domains use: Kafka with real services, an in-process bus on the
 * embedded default. Domain code publishes only through the outbox, which calls `publish`.
 */
export interface EventBus {
  /** Resolves once every message is acknowledged by the broker; rejects otherwise. */
  publish(messages: OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscriptionOptions): Promise<Disposable>;
  dispose(): Promise<void>;
}
