import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { SubgraphContext } from '../../kernel/subgraph/context';

export const resolvers: GraphQLResolverMap<SubgraphContext> = {
  Event: {
    __resolveReference: async (reference: { id: string }, context: SubgraphContext) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
  },
};
