import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { DateTimeScalar } from '../../kernel/scalars';
import type { SubgraphContext } from '../../kernel/subgraph/context';
import type { AdsLoaders } from './loaders';

type Context = SubgraphContext<AdsLoaders>;

export const resolvers: GraphQLResolverMap<Context> = {
  DateTime: DateTimeScalar,
  Event: {
    __resolveReference: async (reference: { id: string }, context: Context) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
    ads: ({ id }: { id: string }, _args, context) => context.loaders.adsByEvent.load(id),
  },
  Ad: {
    __resolveReference: (reference: { id: string }, context: Context) => context.loaders.adById.load(reference.id),
  },
};
