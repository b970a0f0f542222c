import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput } from '../../../kernel/errors';
import type { EventAccess } from '../../../kernel/platform/access';
import { isPlacementName, PLACEMENT_RULE } from '../../../kernel/validation/placement';
import type { Ad } from '../entities/ad';
import { checkSessionsOfEvent } from '../session-of-event';
import type { FrequencyCaps } from './frequency-caps';
import { findServableAds } from './servable-ads';
import { weightedOrder, type Random } from './weighted-order';

export const MAX_ADS_PER_REQUEST = 10;

export interface ServeRequest {
  eventId: string;
  placement: string;
  sessionId: string | null;
  limit: number;
  /** The signed-in viewer, or null for an anonymous one. */
  userId: string | null;
}

export interface AdSelection {
  degraded: boolean;
  ads: Ad[];
}

/** Refuses arguments that cannot name anything before any query runs. */
export async function checkServeRequest(access: EventAccess, request: ServeRequest): Promise<void> {
  if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > MAX_ADS_PER_REQUEST) {
    throw badUserInput('limit', `limit must be a whole number from 1 to ${MAX_ADS_PER_REQUEST}.`);
  }
  if (!isPlacementName(request.placement)) {
    throw badUserInput('placement', `placement must be ${PLACEMENT_RULE}.`);
  }
  if (request.sessionId !== null) await checkSessionsOfEvent(access, request.eventId, 'sessionId', [request.sessionId]);
}

/**
 * Chooses the ads for one placement view. SQL returns what is eligible; a weighted random order
 * ranks it; the viewer's frequency caps (one Redis round trip, which also counts the impressions)
 * keep the first `limit` under their caps.
 *
 * A capped ad is served only when its count can be checked and incremented. So when Redis fails,
 * and for anonymous viewers (nothing stable to count them by), at most one ad is served, chosen
 * among the uncapped ones: never an unbounded number of impressions of a capped ad.
 */
export async function serveAds(
  em: EntityManager,
  caps: FrequencyCaps,
  request: ServeRequest,
  random: Random = Math.random,
): Promise<AdSelection> {
  const eligible = await findServableAds(em, { ...request, now: new Date() });
  const ranked = weightedOrder(eligible, (ad) => ad.weight, random);
  if (request.userId === null) return { degraded: false, ads: firstUncapped(ranked) };
  const decision = await caps.pick(
    request.userId,
    ranked.map((ad) => ({ adId: ad.id, cap: ad.frequencyCap })),
    request.limit,
  );
  if (!decision.checked) return { degraded: true, ads: firstUncapped(ranked) };
  return { degraded: false, ads: decision.picked.map((position) => ranked[position]) };
}

const firstUncapped = (ranked: Ad[]): Ad[] => ranked.filter((ad) => ad.frequencyCap === null).slice(0, 1);
