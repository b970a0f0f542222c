import { allow, type IRules } from 'graphql-shield';
import { canAccessEventOf } from '../../kernel/auth/rules';
import type { SubgraphContext } from '../../kernel/subgraph/context';

const eventOfSession = async (_parent: unknown, args: { sessionId: string }, context: SubgraphContext) =>
  (await context.access.sessions.load(args.sessionId))?.eventId;

/** Mirrors schema.graphql: type → field → rule. Anything not listed is denied. */
export const permissions: IRules = {
  Query: {
    _service: allow,
    _entities: allow,
    sessionCapacity: canAccessEventOf(eventOfSession, { as: 'NOT_FOUND', what: 'The session' }),
  },
  Event: { id: allow },
  SessionCapacity: allow,
};
