import { notFound } from '../../kernel/errors';
import { capacityView } from './capacity-service';
import type { Resolvers } from './generated/resolvers-types';

export const resolvers: Resolvers = {
  Query: {
    sessionCapacity: async (_parent, { sessionId }, context) => {
      const session = await context.access.sessions.load(sessionId);
      if (!session) throw notFound('The session');
      const [stored, waiting] = await Promise.all([
        context.loaders.capacityBySession.load(sessionId),
        context.loaders.waitingCountBySession.load(sessionId),
      ]);
      return capacityView(session, stored, waiting);
    },
  },
  Event: {
    __resolveReference: async (reference, context) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
  },
};
