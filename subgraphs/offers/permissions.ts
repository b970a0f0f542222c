import { allow } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import { canAccessEventOf } from '../../kernel/auth/rules';
import type { SubgraphContext } from '../../kernel/subgraph/context';
import type { Offer } from './entities/offer';
import type { OffersLoaders } from './loaders';

type Context = SubgraphContext<OffersLoaders>;

const canAccessOfferEvent = canAccessEventOf<Offer>((offer) => offer.eventId, { as: 'NOT_FOUND', what: 'The offer' });

/** Mirrors schema.graphql: type → field → rule. Anything not listed is denied. */
export const permissions: IRules = {
  Query: {
    _service: allow,
    _entities: allow,
    event: canAccessEventOf((_parent, args: { id: string }) => args.id),
    offer: canAccessEventOf(
      async (_parent, args: { id: string }, context) =>
        (await (context as Context).loaders.offerById.load(args.id))?.eventId,
      { as: 'NOT_FOUND', what: 'The offer' },
    ),
    activeOffers: canAccessEventOf((_parent, args: { eventId: string }) => args.eventId),
  },
  Event: {
    id: allow,
    offers: canAccessEventOf<{ id: string }>((event) => event.id),
  },
  // Every field of an offer, also when reached through `_entities`, needs access to its event.
  Offer: canAccessOfferEvent,
  OfferInventory: allow,
  Money: allow,
};
