/**
 * The contract's offer operations, verbatim from ../shared/contract/operations (offers.graphql and
 * dashboard-event.graphql), so the tests send exactly what the dashboard sends.
 */
export const ActiveOffers = /* GraphQL */ `
query ActiveOffers($eventId: ID!) {
  activeOffers(eventId: $eventId) {
    id
    title
    type
    price { amountCents currency formatted }
    inventory { available }
  }
}`;

export const CreateOffer = /* GraphQL */ `
mutation CreateOffer($input: CreateOfferInput!) {
  createOffer(input: $input) {
    id
    title
    isActive
    price { amountCents currency }
    originalPrice { amountCents }
    inventory { total available }
  }
}`;

export const UpdateOffer = /* GraphQL */ `
mutation UpdateOffer($id: ID!, $input: UpdateOfferInput!) {
  updateOffer(id: $id, input: $input) { id title isActive price { amountCents } }
}`;

export const PurchaseOffer = /* GraphQL */ `
mutation PurchaseOffer($offerId: ID!, $quantity: Int!) {
  purchaseOffer(offerId: $offerId, quantity: $quantity) {
    clientSecret
    purchase {
      id
      status
      quantity
      fulfillmentStatus
      reservationExpiresAt
      total { amountCents currency }
    }
  }
}`;

export const OfferDetail = /* GraphQL */ `
query OfferDetail($id: ID!) {
  offer(id: $id) {
    id
    eventId
    title
    description
    type
    imageUrl
    isActive
    price { amountCents currency formatted }
    inventory { total sold reserved available }
  }
}`;

export const MyPurchases = /* GraphQL */ `
query MyPurchases($eventId: ID) {
  myPurchases(eventId: $eventId) {
    id
    quantity
    status
    fulfillmentStatus
    fulfillmentNote
    trackingReference
    total { amountCents currency formatted }
    offer { id title }
    createdAt
  }
}`;

/** The offers part of the dashboard's EventMonetization query (the rest belongs to ads and analytics). */
export const EventMonetizationOffers = /* GraphQL */ `
query EventMonetizationOffers($eventId: ID!) {
  event(id: $eventId) {
    id
    offers {
      id
      title
      type
      isActive
      startsAt
      expiresAt
      price { amountCents currency formatted }
      originalPrice { amountCents currency formatted }
      inventory { total sold reserved available }
    }
  }
}`;
