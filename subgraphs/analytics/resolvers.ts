import type { Resolvers } from './generated/resolvers-types';

export const resolvers: Resolvers = {
  Event: {
    __resolveReference: async (reference, context) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
  },
};
