import { allow, type IRules } from 'graphql-shield';
import { isOrganizerOf } from '../../kernel/auth/rules';
import type { Ad } from './entities/ad';

/** Mirrors schema.graphql: type → field → rule. Anything not listed is denied. */
export const permissions: IRules = {
  Query: {
    _service: allow,
    _entities: allow,
  },
  Event: {
    id: allow,
    ads: isOrganizerOf<{ id: string }>((event) => event.id),
  },
  // An ad's configuration (schedule, caps, targeting) is the organizers' business.
  Ad: isOrganizerOf<Ad>((ad) => ad.eventId, { what: 'The ad' }),
};
