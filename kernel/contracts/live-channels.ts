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

export interface WaitlistChange {
  sessionId: string;
  eventId: string;
  kind: WaitlistChangeKind;
  at: string;
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
