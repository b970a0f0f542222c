import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventAccess } from '../../kernel/platform/access';
import { validateCreateInput, validateUpdateInput, type AdSettings } from './ad-input';
import { Ad } from './entities/ad';
import { checkSessionsOfEvent } from './session-of-event';
import type { CreateAdInput, UpdateAdInput } from './generated/resolvers-types';

/**
 * Creates an ad from an organizer's input. Everything is validated before the first write; the
 * caller's right to do it is the permission layer's job.
 */
export async function createAd(em: EntityManager, access: EventAccess, input: CreateAdInput): Promise<Ad> {
  const settings = validateCreateInput(input);
  await checkSessionsOfEvent(access, input.eventId, 'input.targetSessions', settings.targetSessions);
  const ad = new Ad(input.eventId, settings.name, settings.mediaUrl, settings.clickUrl);
  Object.assign(ad, settings);
  await em.persistAndFlush(ad);
  return ad;
}

/** Applies an organizer's change to an ad, validated against the ad as it is. */
export async function updateAd(em: EntityManager, access: EventAccess, ad: Ad, input: UpdateAdInput): Promise<Ad> {
  const changes = validateUpdateInput(settingsOf(ad), input);
  if (changes.targetSessions) await checkSessionsOfEvent(access, ad.eventId, 'input.targetSessions', changes.targetSessions);
  Object.assign(ad, changes);
  await em.flush();
  return ad;
}

function settingsOf(ad: Ad): AdSettings {
  const { name, mediaUrl, clickUrl, isActive, startsAt, endsAt } = ad;
  const { placements, targetSessions, frequencyCap, aspectRatio, weight } = ad;
  return { name, mediaUrl, clickUrl, isActive, startsAt, endsAt, placements, targetSessions, frequencyCap, aspectRatio, weight };
}
