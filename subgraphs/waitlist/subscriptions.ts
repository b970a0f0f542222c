import { allow } from 'graphql-shield';
import { isOrganizerOf } from '../../kernel/auth/rules';
import { authorizeSubscription } from '../../kernel/live/authorize';
import { liveHubFrom } from '../../kernel/live/hub';
import { LiveChannels, type WaitlistChange } from '../../kernel/live/live-events';
import { unwrapLive, type LiveMessage } from '../../kernel/live/live-meta';
import { readWaitlistChange } from '../../kernel/live/live-messages';
import type { SnapshotFeedDefinition } from '../../kernel/live/snapshot-feed';
import type { SubscriptionPart } from '../../kernel/live/subgraph-part';
import { EventAccess } from '../../kernel/platform/access';
import type { SubgraphContext } from '../../kernel/subgraph/context';
import { capacityView } from './capacity-service';
import type { Resolvers, ResolversParentTypes } from './generated/resolvers-types';
import { readVersionedTotals } from './live-totals';

type WaitlistUpdate = ResolversParentTypes['WaitlistUpdate'];
type Totals = Pick<WaitlistUpdate, 'sessionId' | 'totalWaiting' | 'capacity'>;

const COUNTED = ['joined', 'left', 'offered', 'accepted', 'removed', 'declined', 'expired'] as const;
type Counts = Record<(typeof COUNTED)[number], number>;

/** The session's totals and the live version they include. */
interface SessionRead {
  version: number;
  totals: Totals;
}

/**
 * What a subscriber has been told: every version up to `through` (its snapshot's, then the changes
 * counted since), and versions counted beyond a gap (a change heard before an older one).
 */
export interface CountedVersions {
  through: number;
  above: Set<number>;
}

/**
 * A change that never arrives (a message lost while Redis reconnected) would hold `through` back
 * forever; past this many changes counted beyond it, it is given up.
 */
const MAX_AHEAD = 64;

const zeroCounts = (): Counts => ({ joined: 0, left: 0, offered: 0, accepted: 0, removed: 0, declined: 0, expired: 0 });

/** Counts a change unless the subscriber's snapshot or an earlier message already did. */
export function countOnce(state: CountedVersions, change: WaitlistChange): boolean {
  if (change.version === undefined) return true;
  if (change.version <= state.through || state.above.has(change.version)) return false;
  state.above.add(change.version);
  while (state.above.delete(state.through + 1)) state.through += 1;
  if (state.above.size > MAX_AHEAD) {
    state.through = Math.max(...state.above);
    state.above.clear();
  }
  return true;
}

/**
 * A session's waitlist: a snapshot of the totals, then the changes coalesced per window with the
 * totals after them. One statement reads the totals with their version for every subscriber of
 * the session in this process; each subscriber counts only the changes its snapshot did not.
 */
export const waitlistUpdates: SnapshotFeedDefinition<WaitlistChange, SessionRead, CountedVersions, WaitlistUpdate> = {
  name: 'waitlistUpdated',
  channel: LiveChannels.waitlistSession,
  parse: readWaitlistChange,
  read: async (sessionId, _changes, _whole, runtime) => {
    const em = runtime.orm.em.fork();
    const [session, versioned] = await Promise.all([new EventAccess(em, null).sessions.load(sessionId), readVersionedTotals(em, sessionId)]);
    if (!session) return undefined;
    const capacity = capacityView(session, versioned.stored, versioned.counts);
    return { version: versioned.version, totals: { sessionId, totalWaiting: capacity.waiting, capacity } };
  },
  snapshot: (read) => ({
    messages: [{ ...read.totals, ...zeroCounts(), snapshot: true }],
    state: { through: read.version, above: new Set() },
  }),
  changes: (read, changes, state) => {
    const counts = zeroCounts();
    let counted = false;
    for (const change of changes) {
      if (!countOnce(state, change)) continue;
      counted = true;
      // `capacity` changes count nothing but still send the new totals.
      for (const kind of change.kinds) if (kind !== 'capacity') counts[kind] += 1;
    }
    return counted ? [{ ...read.totals, ...counts, snapshot: false }] : [];
  },
  digest: (state) => (state.above.size === 0 ? `${state.through}` : `${state.through}+${[...state.above].sort((a, b) => a - b).join(',')}`),
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
      // The rule runs before the snapshot is read: a caller who may not watch the session is
      // refused as before and gets nothing of it. The same rule guards every message's resolve.
      subscribe: async (_parent, args, context, info) => {
        await authorizeSubscription(organizerOfSession, args, context, info);
        return liveHubFrom(context).snapshotFeed(waitlistUpdates).subscribe(args.sessionId);
      },
      resolve: (message: LiveMessage<WaitlistUpdate>, _args: unknown, context: object) => unwrapLive(message, context),
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
