import { allow, chain, type IRules } from 'graphql-shield';
import { canAccessEventOf, checkedRule, isOrganizerOf, withinRateLimit } from '../../kernel/auth/rules';
import { notFound } from '../../kernel/errors';
import { isLive } from './ad-liveness';
import type { AdsContext } from './context';
import type { Ad } from './entities/ad';

/** The event of the ad a mutation names (`id` or `adId`); undefined when there is no such ad. */
const adEventOf = async (_parent: unknown, args: { id?: string; adId?: string }, context: AdsContext) =>
  (await context.loaders.adById.load((args.id ?? args.adId)!))?.eventId;

/** An ad's configuration (schedule, caps, targeting, weight, performance) is the organizers' business. */
const isAdOrganizer = isOrganizerOf<Ad>((ad) => ad.eventId, { what: 'The ad' });

/**
 * The creative of an ad (what a viewer sees and clicks): for anyone who can access its event while
 * the ad is live, so that viewers served by adsForContext can read it; for organizers always.
 * Otherwise the ad does not exist for the caller.
 */
const canSeeCreative = checkedRule((ad: Ad, _args, context: AdsContext) => {
  // Answered at once when this request already knows the caller may see the ad.
  if (context.access.knownAccess(ad.eventId) === true && (isLive(ad) || context.access.knownOrganizer(ad.eventId) === true)) return true;
  return decideCreative(ad, context);
});

/** `canSeeCreative` asking what it does not know yet. */
async function decideCreative(ad: Ad, context: AdsContext) {
  if (!(await context.access.canAccessEvent(ad.eventId))) return notFound('The ad');
  if (isLive(ad) || (await context.access.isEventOrganizer(ad.eventId))) return true;
  return notFound('The ad');
}

/**
 * Impressions and clicks count only for an ad a viewer can actually be shown: live, and in the
 * targeted session when the ad targets sessions. Anything else would inflate performance figures.
 */
const canTrackAd = checkedRule(async (_parent, args: { adId: string; sessionId?: string | null }, context: AdsContext) => {
  const ad = await context.loaders.adById.load(args.adId);
  if (!ad || !(await context.access.canAccessEvent(ad.eventId)) || !isLive(ad)) return notFound('The ad');
  if (args.sessionId && ad.targetSessions.length > 0 && !ad.targetSessions.includes(args.sessionId)) return notFound('The ad');
  return true;
});

/** Mirrors schema.graphql: type → field → rule. Anything not listed is denied. */
export const permissions: IRules = {
  Query: {
    adsForContext: canAccessEventOf((_parent, args: { eventId: string }) => args.eventId),
  },
  Mutation: {
    createAd: isOrganizerOf((_parent, args: { input: { eventId: string } }) => args.input.eventId),
    updateAd: isOrganizerOf(adEventOf, { what: 'The ad' }),
    trackAdImpression: chain(canTrackAd, withinRateLimit('track')),
    trackAdClick: chain(canTrackAd, withinRateLimit('track')),
  },
  Event: {
    id: allow,
    ads: isOrganizerOf<{ id: string }>((event) => event.id),
  },
  // Field by field, also when an ad is reached through `_entities`.
  Ad: {
    id: canSeeCreative,
    name: canSeeCreative,
    mediaUrl: canSeeCreative,
    clickUrl: canSeeCreative,
    aspectRatio: canSeeCreative,
    eventId: isAdOrganizer,
    isActive: isAdOrganizer,
    startsAt: isAdOrganizer,
    endsAt: isAdOrganizer,
    placements: isAdOrganizer,
    targetSessions: isAdOrganizer,
    frequencyCap: isAdOrganizer,
    weight: isAdOrganizer,
    performance: isAdOrganizer,
  },
  AdPerformanceTotals: allow,
  AdSelection: allow,
};
