import { allow, and, chain, type IRules } from 'graphql-shield';
import { canAccessEventOf, checkedRule, isAuthenticated, isOrganizerOf, withinRateLimit } from '../../kernel/auth/rules';
import { forbidden, notFound } from '../../kernel/errors';
import type { WaitlistContext } from './context';
import type { WaitlistEntry } from './entities/waitlist-entry';
import { mayQueue } from './policy';

const eventOfSession = async (_parent: unknown, args: { sessionId: string }, context: WaitlistContext) =>
  (await context.access.sessions.load(args.sessionId))?.eventId;

const eventOfEntry = async (_parent: unknown, args: { entryId: string }, context: WaitlistContext) =>
  (await context.loaders.entryById.load(args.entryId))?.eventId;

const isSessionOrganizer = isOrganizerOf(eventOfSession, { what: 'The session' });
const isEntryOrganizer = isOrganizerOf(eventOfEntry, {
  what: 'The waitlist entry',
  // Someone else's entry is not the caller's to know of.
  knownToCaller: async (_parent, args: { entryId: string }, context: WaitlistContext) =>
    (await context.loaders.entryById.load(args.entryId))?.userId === context.identity?.userId,
});

/** Attendees of the session's event (anyone signed in for a public event) may queue for its seats. */
const mayQueueForSession = checkedRule(
  async (_parent, args: { sessionId: string }, context: WaitlistContext) => {
    const eventId = await eventOfSession(_parent, args, context);
    const answer = eventId ? await mayQueue(context.access, context.identity, eventId) : 'hidden';
    if (answer === 'allowed') return true;
    return answer === 'hidden' ? notFound('The session') : forbidden('Only attendees of the event may join its waitlists.');
  },
);

/** An entry is seen by the person it belongs to and by the organizers of its event. */
const canSeeEntry = checkedRule(async (entry: WaitlistEntry, _args, context: WaitlistContext) => {
  if (context.identity?.userId === entry.userId) return true;
  if (await context.access.isEventOrganizer(entry.eventId)) return true;
  return notFound('The waitlist entry');
});

/** Mirrors the SDL: type → field → rule. Anything not listed is denied. */
export const permissions: IRules = {
  Query: {
    sessionCapacity: canAccessEventOf(eventOfSession, { as: 'NOT_FOUND', what: 'The session' }),
    sessionWaitlist: isSessionOrganizer,
    myWaitlistPosition: and(isAuthenticated, canAccessEventOf(eventOfSession, { as: 'NOT_FOUND', what: 'The session' })),
  },
  Mutation: {
    joinWaitlist: chain(isAuthenticated, mayQueueForSession, withinRateLimit('join')),
    // Leaving needs only a place to leave; an attendee whose registration lapsed may still give their seat back.
    leaveWaitlist: isAuthenticated,
    // The token names the entry: the service checks that it is the caller's and that they may still queue.
    acceptWaitlistOffer: isAuthenticated,
    declineWaitlistOffer: isAuthenticated,
    sendWaitlistOffer: isEntryOrganizer,
    removeFromWaitlist: isEntryOrganizer,
    bulkSendWaitlistOffers: isSessionOrganizer,
    updateSessionCapacity: isSessionOrganizer,
    setWaitlistTier: isSessionOrganizer,
  },
  Event: { id: allow, waitlistSessions: isOrganizerOf<{ id: string }>((event) => event.id) },
  WaitlistSession: allow,
  SessionCapacity: allow,
  // Every field of an entry, wherever it is reached from, needs the entry's owner or an organizer.
  WaitlistEntry: canSeeEntry,
  WaitlistUser: allow,
  WaitlistEntryEdge: allow,
  WaitlistPageInfo: allow,
  WaitlistEntryConnection: allow,
  WaitlistTierSetting: allow,
};
