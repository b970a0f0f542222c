import type { Disposable, EventBus, SubscriptionOptions } from '../../kernel/events/bus';
import type { OutgoingMessage } from '../../kernel/events/envelope';

/**
 * An EventBus around a real one whose process "dies" right after the broker acknowledged a batch:
 * `publish` delivers, then throws. An outbox relay using it never reaches its
 * `update outbox_messages set sent_at = now()`, so the rows stay unsent, exactly as when the relay
 * is killed between publishing and marking (the relay does count the failed attempt, which a dead
 * process would not; what matters here, `sent_at`, is the same). Test-only.
 */
export class CrashAfterPublishBus implements EventBus {
  /** Messages the broker acknowledged through this bus. */
  readonly delivered: OutgoingMessage[] = [];

  constructor(private readonly inner: EventBus) {}

  async publish(messages: OutgoingMessage[]): Promise<void> {
    await this.inner.publish(messages);
    this.delivered.push(...messages);
    throw new Error('the relay process was killed after publishing, before marking the rows sent');
  }

  subscribe(options: SubscriptionOptions): Promise<Disposable> {
    return this.inner.subscribe(options);
  }

  /** The inner bus belongs to whoever built it; it is closed there. */
  async dispose(): Promise<void> {}
}
