import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { notFound } from '../../kernel/errors';
import type { SubgraphContext } from '../../kernel/subgraph/context';
import { capacityView } from './capacity-service';
import type { WaitlistLoaders } from './loaders';

type Context = SubgraphContext<WaitlistLoaders>;

export const resolvers: GraphQLResolverMap<Context> = {
  Query: {
    sessionCapacity: async (_parent, { sessionId }: { sessionId: string }, context) => {
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
    __resolveReference: async (reference: { id: string }, context: Context) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
  },
};
