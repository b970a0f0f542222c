import { notFound } from '../../kernel/errors';
import { DateTimeScalar } from '../../kernel/scalars';
import { capacityView } from './capacity-service';
import type { Resolvers } from './generated/resolvers-types';
import { listSessionWaitlist } from './listing';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    sessionCapacity: async (_parent, { sessionId }, context) => {
      const session = await context.access.sessions.load(sessionId);
      if (!session) throw notFound('The session');
      const [stored, counts] = await Promise.all([
        context.loaders.capacityBySession.load(sessionId),
        context.loaders.countsBySession.load(sessionId),
      ]);
      return capacityView(session, stored, counts);
    },
    sessionWaitlist: async (_parent, args, context) => {
      const page = await listSessionWaitlist(context.em, args);
      for (const user of page.users) context.loaders.userById.prime(user.id, user);
      return page;
    },
    myWaitlistPosition: (_parent, { sessionId }, context) => context.requestServices.attendee.myEntry(sessionId),
  },
  Mutation: {
    joinWaitlist: (_parent, { sessionId }, context) => context.requestServices.attendee.join(sessionId),
    leaveWaitlist: (_parent, { sessionId }, context) => context.requestServices.attendee.leave(sessionId),
    acceptWaitlistOffer: (_parent, { token, sessionId }, context) => context.requestServices.attendee.accept(token, sessionId),
    declineWaitlistOffer: (_parent, { token, sessionId }, context) => context.requestServices.attendee.decline(token, sessionId),
    sendWaitlistOffer: (_parent, { entryId }, context) => context.requestServices.organizer.sendOffer(entryId),
    bulkSendWaitlistOffers: (_parent, { sessionId, count }, context) => context.requestServices.organizer.bulkSendOffers(sessionId, count),
    removeFromWaitlist: (_parent, { entryId }, context) => context.requestServices.organizer.remove(entryId),
    updateSessionCapacity: (_parent, { sessionId, total, offerNewSeats }, context) =>
      context.requestServices.organizer.updateCapacity(sessionId, total, offerNewSeats ?? true),
    setWaitlistTier: (_parent, { sessionId, userId, tier }, context) => context.requestServices.organizer.setTier(sessionId, userId, tier),
  },
  WaitlistEntry: {
    user: async (entry, _args, context) => {
      const user = await context.loaders.userById.load(entry.userId);
      return { id: entry.userId, name: user.name ?? entry.contactName, email: user.email ?? entry.contactEmail };
    },
    position: (entry, _args, context) => context.loaders.positionOf.load(entry),
    offerToken: (entry, _args, context) => context.requestServices.attendee.offerTokenOf(entry),
  },
  Event: {
    __resolveReference: async (reference, context) =>
      (await context.access.events.load(reference.id)) ? { id: reference.id } : null,
    waitlistSessions: (event, _args, context) => context.loaders.sessionsByEvent.load(event.id),
  },
};
