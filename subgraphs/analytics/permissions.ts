import { allow, type IRules } from 'graphql-shield';

/** Mirrors schema.graphql: type → field → rule. Anything not listed is denied. */
export const permissions: IRules = {
  Query: { _service: allow, _entities: allow },
  Event: { id: allow },
};
