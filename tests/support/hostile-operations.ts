import type { LimitKind } from '../../gateway/operation-limits';

/** Offer.purchases and OfferPurchase.offer nest without end: the shape a hostile client reaches for. */
const nestedPurchases = (levels: number, leaf = 'id') =>
  `${'offer { purchases { '.repeat(levels)}${leaf}${' } }'.repeat(levels)}`;

/**
 * Documents each limit must refuse, over HTTP and graphql-ws alike (`$eventId` is declared where a
 * subscription needs it). Each names the limit that refuses it.
 */
export const HOSTILE: [what: string, kind: LimitKind, query: string][] = [
  ['too deep', 'depth', `{ myPurchases(limit: 1) { ${nestedPurchases(7)} } }`],
  ['with too many aliases', 'aliases', `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: event(id: "ev-public") { id }`).join(' ')} }`],
  ['with too many tokens', 'tokens', `{ event(id: "ev-public") { ${Array.from({ length: 4000 }, () => 'id').join(' ')} } }`],
  ['with too many directives', 'directives', `{ __typename ${'@include(if: true) '.repeat(60)} }`],
  ['too costly for its list sizes (purchases of purchases of purchases)', 'cost', `{ myPurchases { ${nestedPurchases(3)} } }`],
  ['too costly for the sizes it asks for', 'cost', `{ ${Array.from({ length: 12 }, (_, i) => `p${i}: myPurchases(limit: 1000) { id }`).join(' ')} }`],
];

/** The same, as subscriptions (issue 23: graphql-ws let these through). */
export const HOSTILE_SUBSCRIPTIONS: [what: string, kind: LimitKind, query: string][] = [
  ['too deep', 'depth', `subscription S($eventId: ID!) { offerInventoryChanged(eventId: $eventId) { ${nestedPurchases(6)} } }`],
  ['with too many aliases', 'aliases', `subscription S($eventId: ID!) { offerInventoryChanged(eventId: $eventId) { ${Array.from({ length: 40 }, (_, i) => `a${i}: offer { id }`).join(' ')} } }`],
  ['with too many tokens', 'tokens', `subscription S($eventId: ID!) { offerInventoryChanged(eventId: $eventId) { offer { ${Array.from({ length: 4000 }, () => 'id').join(' ')} } } }`],
  ['with too many directives', 'directives', `subscription S($eventId: ID!) { offerInventoryChanged(eventId: $eventId) { offer { id ${'@include(if: true) '.repeat(60)} } } }`],
  ['too costly (purchases of purchases of purchases)', 'cost', `subscription S($eventId: ID!) { offerInventoryChanged(eventId: $eventId) { ${nestedPurchases(4)} } }`],
];

/** Words each refusal's message uses for its kind of limit. */
export const KIND_WORDS: Record<LimitKind, RegExp> = {
  depth: /depth/i,
  aliases: /alias/i,
  tokens: /token/i,
  directives: /directive/i,
  cost: /cost/i,
};
