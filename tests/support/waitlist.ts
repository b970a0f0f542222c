import type { MikroORM } from '@mikro-orm/postgresql';
import { pgArray } from '../../kernel/db/sql';
import type { Envelope } from '../../kernel/events/envelope';
import { OfferTokens } from '../../subgraphs/waitlist/offer-token';
import { WAITLIST_OFFERS_TOPIC, type WaitlistOfferSentData } from '../../subgraphs/waitlist/notifications';
import { graphql, type GraphQLResponse } from './graphql';
import type { TestStack } from './stack';
import { TEST_SUBGRAPH_SECRET, tokenFor } from './tokens';

/** The contract's waitlist operations (../shared/contract/operations/waitlist.graphql), verbatim. */
export const WaitlistOps = {
  SessionWaitlist: `query SessionWaitlist($sessionId: ID!, $first: Int, $after: String, $search: String) {
  sessionWaitlist(sessionId: $sessionId, first: $first, after: $after, search: $search) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id
        position
        priorityTier
        status
        joinedAt
        offerExpiresAt
        user { id name email }
      }
    }
  }
}`,
  SessionCapacity: `query SessionCapacity($sessionId: ID!) {
  sessionCapacity(sessionId: $sessionId) { sessionId total used available waiting }
}`,
  MyWaitlistPosition: `query MyWaitlistPosition($sessionId: ID!) {
  myWaitlistPosition(sessionId: $sessionId) { position priorityTier status offerExpiresAt }
}`,
  JoinWaitlist: `mutation JoinWaitlist($sessionId: ID!) {
  joinWaitlist(sessionId: $sessionId) { id position priorityTier status }
}`,
  LeaveWaitlist: `mutation LeaveWaitlist($sessionId: ID!) {
  leaveWaitlist(sessionId: $sessionId)
}`,
  AcceptWaitlistOffer: `mutation AcceptWaitlistOffer($token: String!) {
  acceptWaitlistOffer(token: $token) { id status }
}`,
  SendWaitlistOffer: `mutation SendWaitlistOffer($entryId: ID!) {
  sendWaitlistOffer(entryId: $entryId) { id status offerExpiresAt }
}`,
  BulkSendWaitlistOffers: `mutation BulkSendWaitlistOffers($sessionId: ID!, $count: Int!) {
  bulkSendWaitlistOffers(sessionId: $sessionId, count: $count) { id status offerExpiresAt }
}`,
  RemoveFromWaitlist: `mutation RemoveFromWaitlist($entryId: ID!) {
  removeFromWaitlist(entryId: $entryId)
}`,
  UpdateSessionCapacity: `mutation UpdateSessionCapacity($sessionId: ID!, $total: Int!) {
  updateSessionCapacity(sessionId: $sessionId, total: $total) { sessionId total used available waiting }
}`,
} as const;

/** Operations the project adds beside the contract's. */
export const ExtraWaitlistOps = {
  HoldSeats: `mutation HoldSeats($sessionId: ID!, $total: Int!) {
  updateSessionCapacity(sessionId: $sessionId, total: $total, offerNewSeats: false) { total used offerable }
}`,
  SetWaitlistTier: `mutation SetWaitlistTier($sessionId: ID!, $userId: ID, $tier: PriorityTier) {
  setWaitlistTier(sessionId: $sessionId, userId: $userId, tier: $tier) { sessionId userId tier }
}`,
  MyOffer: `query MyOffer($sessionId: ID!) {
  myWaitlistPosition(sessionId: $sessionId) { id status position offerToken offerExpiresAt }
}`,
  AcceptForSession: `mutation AcceptForSession($token: String!, $sessionId: ID) {
  acceptWaitlistOffer(token: $token, sessionId: $sessionId) { id status }
}`,
  Decline: `mutation Decline($token: String!) {
  declineWaitlistOffer(token: $token) { id status }
}`,
} as const;

/** A client of the gateway acting as one user. */
export function asUser(stack: TestStack, userId: string) {
  let token: Promise<string> | undefined;
  return async <T = any>(operation: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> =>
    graphql<T>(stack.gatewayUrl, operation, { variables, token: await (token ??= tokenFor(userId)) });
}

/**
 * Adds `count` platform users `${prefix}-${i}` registered for `eventId` with `ticketTier`, straight
 * into the read model (three statements, whatever the count).
 */
export async function addAttendees(
  orm: MikroORM,
  eventId: string,
  prefix: string,
  count: number,
  ticketTier = 'GENERAL',
): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
  const em = orm.em.fork();
  await em.execute(
    `insert into platform_users (id, email, name) select id, id || '@example.com', 'Attendee ' || id from unnest(?::text[]) as id
     on conflict (id) do nothing`,
    [pgArray(ids)],
  );
  await em.execute(
    `insert into platform_registrations (user_id, event_id, ticket_tier) select id, ?, ? from unnest(?::text[]) as id
     on conflict (user_id, event_id) do update set ticket_tier = excluded.ticket_tier, cancelled_at = null`,
    [eventId, ticketTier, pgArray(ids)],
  );
  return ids;
}

/** A platform session of `eventId` (a fresh one per test keeps queues apart). */
export async function addSession(orm: MikroORM, eventId: string, sessionId: string, capacity: number): Promise<void> {
  await orm.em.fork().execute(
    `insert into platform_sessions (id, event_id, title, capacity, starts_at) values (?, ?, ?, ?, '2026-12-03T10:00:00Z')
     on conflict (id) do update set capacity = excluded.capacity`,
    [sessionId, eventId, `Session ${sessionId}`, capacity],
  );
}

/** The WaitlistOfferSent messages written to the outbox for these entries (what the relay will publish). */
export async function outboxOffers(orm: MikroORM, entryIds: string[]): Promise<Envelope<WaitlistOfferSentData>[]> {
  const rows = await orm.em.fork().execute<{ payload: Envelope<WaitlistOfferSentData> }[]>(
    `select payload from outbox_messages where topic = ? and message_key = any(?::text[]) order by created_at`,
    [WAITLIST_OFFERS_TOPIC, pgArray(entryIds)],
  );
  return rows.map((row) => row.payload);
}

/** The tokens the test stack signs with (derived from the test subgraph secret, as in production). */
export const testOfferTokens = () => OfferTokens.fromSecrets({ subgraphSecret: TEST_SUBGRAPH_SECRET });

/** Everything the waitlist keeps outside the fixture tables: tier overrides, and this worker's Redis database. */
export async function resetWaitlist(stack: TestStack): Promise<void> {
  await stack.reset();
  await stack.runtime.orm.em.fork().execute('truncate table waitlist_tier_overrides');
  await stack.runtime.redis.flushdb();
}
