import type { Redis } from '../redis';

/**
 * Changes that live subscriptions care about, fanned out between processes through Redis pub/sub so
 * that a mutation served by any subgraph replica reaches subscribers on any gateway replica.
 * Publishing is fire-and-forget after the domain transaction commits: a lost live message costs a
 * dashboard one update, never data (the durable record is in PostgreSQL and the outbox).
 */
export const LiveChannels = {
  /** WaitlistChange messages of one session. */
  waitlistSession: (sessionId: string) => `live:waitlist:session:${sessionId}`,
  /** OfferInventoryChange messages of one platform event. */
  offerInventory: (eventId: string) => `live:offers:event:${eventId}`,
  /** MonetizationActivity messages of one platform event. */
  monetizationActivity: (eventId: string) => `live:monetization:event:${eventId}`,
} as const;

export type WaitlistChangeKind = 'joined' | 'left' | 'offered' | 'accepted' | 'removed' | 'declined' | 'expired' | 'capacity';

/** What one committed transaction changed on a session's waitlist. */
export interface WaitlistChange {
  sessionId: string;
  eventId: string;
  /** Every change of the transaction, in order (a leave that frees a seat: `left`, `offered`). */
  kinds: WaitlistChangeKind[];
  at: string;
  /**
   * The session's live version the transaction committed (`live_versions`): a snapshot that read
   * this version or a later one already counts it. Absent on messages from older senders, which
   * every subscriber counts.
   */
  version?: number;
}

export interface OfferInventoryChange {
  eventId: string;
  offerId: string;
  at: string;
}

export interface MonetizationActivity {
  eventId: string;
  /** The monetization event type, e.g. PurchaseCompleted. */
  kind: string;
  at: string;
  offerId?: string;
  adId?: string;
  amountCents?: number;
  currency?: string;
}

export interface LiveEventPublisher {
  publish(channel: string, message: object): Promise<void>;
}

/** Publishes with Redis PUBLISH; errors are logged by the caller's logger and swallowed. */
export class RedisLivePublisher implements LiveEventPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async publish(channel: string, message: object): Promise<void> {
    try {
      await this.redis.publish(channel, JSON.stringify(message));
    } catch (error) {
      this.onError(error);
    }
  }
}
