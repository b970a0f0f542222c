import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print } from 'graphql';

const operations = path.resolve(__dirname, '../../shared/contract/operations');

/** The contract's own document, so the bench sends exactly what the dashboard sends. */
function contractOperation(file: string, name: string): string {
  const source = readFileSync(path.join(operations, file), 'utf8');
  return JSON.stringify({ query: source, operationName: name });
}

export function dashboardBody(eventId = 'ev-private'): string {
  const { query, operationName } = JSON.parse(contractOperation('dashboard-event.graphql', 'EventMonetization'));
  return JSON.stringify({ query, operationName, variables: { eventId, from: '2026-01-01', to: '2026-12-31' } });
}

export function adsBody(): string {
  const { query, operationName } = JSON.parse(contractOperation('ads.graphql', 'AdsForContext'));
  return JSON.stringify({ query, operationName, variables: { eventId: 'ev-public', placement: 'lobby-banner', sessionId: 's-open', limit: 3 } });
}

export function purchaseBody(offerId: string): string {
  const { query, operationName } = JSON.parse(contractOperation('offers.graphql', 'PurchaseOffer'));
  return JSON.stringify({ query, operationName, variables: { offerId, quantity: 1 } });
}

export function fanoutBody(eventId: string): string {
  return JSON.stringify({
    query: `query FanOut($id: ID!) { event(id: $id) { id offers { id title type isActive price { amountCents currency formatted } inventory { total sold reserved available } } } }`,
    variables: { id: eventId },
  });
}

const OFFER_FIELDS = ['id', 'title', 'type', 'isActive', 'startsAt', 'expiresAt', 'eventId', 'description', 'imageUrl', 'price { formatted }', 'inventory { available }', 'onSale'];

/**
 * `count` operations that differ in shape (alias and selected fields), none seen before in this
 * run: `round` goes into every alias, so each round starts with a cold plan cache. Two subgraphs
 * (offers and ads), so each needs a real plan.
 */
export function planCacheBodies(round: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const fields = OFFER_FIELDS.filter((_, bit) => ((i + 1) >> bit) & 1 || bit === 0);
    return JSON.stringify({
      query: `query Shape_${round}_${i} { event(id: "ev-private") { id r${round}_s${i}: offers { ${fields.join(' ')} } ads { id name } } }`,
    });
  });
}

/** The live dashboard's subscription, as the contract's client sends it. */
export function waitlistUpdatesOperation(): { query: string; operationName: string } {
  return { query: readFileSync(path.join(operations, 'subscriptions.graphql'), 'utf8'), operationName: 'WaitlistUpdates' };
}

/**
 * One operation of a contract file on its own: sent straight to a subgraph, the file's other
 * operations could name fields of other subgraphs and fail validation there.
 */
function singleOperation(file: string, name: string): string {
  const document = parse(readFileSync(path.join(operations, file), 'utf8'));
  const definitions = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name);
  if (definitions.length !== 1) throw new Error(`${file} has no operation ${name}`);
  return print({ ...document, definitions });
}

/** Mutations of the subscription scenario, sent straight to the waitlist subgraph. */
export function joinWaitlistBody(sessionId: string): string {
  return JSON.stringify({ query: singleOperation('waitlist.graphql', 'JoinWaitlist'), variables: { sessionId } });
}

export function leaveWaitlistBody(sessionId: string): string {
  return JSON.stringify({ query: singleOperation('waitlist.graphql', 'LeaveWaitlist'), variables: { sessionId } });
}

/** The soak's waitlist operations through the gateway, as the contract's client sends them. */
export function sessionCapacityBody(sessionId: string): string {
  return JSON.stringify({ query: singleOperation('waitlist.graphql', 'SessionCapacity'), variables: { sessionId } });
}

export function updateSessionCapacityBody(sessionId: string, total: number): string {
  return JSON.stringify({ query: singleOperation('waitlist.graphql', 'UpdateSessionCapacity'), variables: { sessionId, total } });
}
