import { DateTimeScalar } from '../../kernel/scalars';
import type { Resolvers } from './generated/resolvers-types';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Event: {
    __resolveReference: async (reference, context) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
    ads: ({ id }, _args, context) => context.loaders.adsByEvent.load(id),
  },
  Ad: {
    __resolveReference: (reference, context) => context.loaders.adById.load(reference.id),
  },
};
