import { allow } from 'graphql-shield';
import { isOrganizerOf } from '../../kernel/auth/rules';
import { authorizeSubscription } from '../../kernel/live/authorize';
import type { FeedDefinition } from '../../kernel/live/feed';
import { liveHubFrom } from '../../kernel/live/hub';
import { LiveChannels, type WaitlistChange } from '../../kernel/contracts/live-channels';
import { readWaitlistChange } from '../../kernel/contracts/live-messages';
import type { SubscriptionPart } from '../../kernel/live/subgraph-part';
import { EventAccess } from '../../kernel/platform/access';
import type { SubgraphContext } from '../../kernel/subgraph/context';
import { capacityView } from './capacity-service';
import type { Resolvers, ResolversParentTypes } from './generated/resolvers-types';
import { fetchCapacities, fetchCounts } from './loaders';

type WaitlistUpdate = ResolversParentTypes['WaitlistUpdate'];

const COUNTED = ['joined', 'left', 'offered', 'accepted', 'removed', 'declined', 'expired'] as const;
type Counts = Record<(typeof COUNTED)[number], number>;

/**
 * A session's waitlist changes, coalesced per window: the counts of each kind of change, then the
 * totals read once for every subscriber of the session in this process. `capacity` changes carry
 * no count but still send the new totals.
 */
export const waitlistUpdates: FeedDefinition<WaitlistChange, Counts, WaitlistUpdate> = {
  name: 'waitlistUpdated',
  channel: LiveChannels.waitlistSession,
  parse: readWaitlistChange,
  coalesce: true,
  startBatch: () => ({ joined: 0, left: 0, offered: 0, accepted: 0, removed: 0, declined: 0, expired: 0 }),
  addToBatch: (counts, change) => {
    if (change.kind !== 'capacity') counts[change.kind] += 1;
  },
  flush: async (sessionId, counts, runtime) => {
    const em = runtime.orm.em.fork();
    const [session, [stored], [waiting]] = await Promise.all([
      new EventAccess(em, null).sessions.load(sessionId),
      fetchCapacities(em, [sessionId]),
      fetchCounts(em, [sessionId]),
    ]);
    if (!session) return [];
    const capacity = capacityView(session, stored, waiting);
    return [{ sessionId, ...counts, totalWaiting: capacity.waiting, capacity }];
  },
};

/** The rule of the organizers' waitlist reads: the event's owner or a member of its organization. */
const organizerOfSession = isOrganizerOf(
  async (_parent, args: { sessionId: string }, context: SubgraphContext) =>
    (await context.access.sessions.load(args.sessionId))?.eventId,
  { what: 'The session' },
);

const resolvers: Resolvers = {
  Subscription: {
    waitlistUpdated: {
      subscribe: async (_parent, args, context, info) => {
        await authorizeSubscription(organizerOfSession, args, context, info);
        return liveHubFrom(context).feed(waitlistUpdates).subscribe(args.sessionId);
      },
      resolve: (update: WaitlistUpdate) => update,
    },
  },
};

export const waitlistSubscriptions: SubscriptionPart = {
  resolvers,
  permissions: {
    Subscription: { waitlistUpdated: organizerOfSession },
    WaitlistUpdate: allow,
  },
};
