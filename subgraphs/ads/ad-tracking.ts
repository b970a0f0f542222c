import type { EntityManager } from '@mikro-orm/postgresql';
import { publishMonetizationEvent } from '../../kernel/contracts/monetization-events';
import type { EventAccess } from '../../kernel/platform/access';
import { AdEvent, type AdEventType } from './entities/ad-event';
import type { Ad } from './entities/ad';
import { checkSessionsOfEvent } from './session-of-event';

const MONETIZATION_TYPE = { IMPRESSION: 'AdImpression', CLICK: 'AdClicked' } as const;

export interface Viewer {
  userId: string | null;
  sessionId: string | null;
}

/**
 * Records an impression or a click: the `ad_events` row and the monetization event analytics reads
 * are written in one transaction (through the outbox), so neither exists without the other.
 */
export async function trackAdEvent(
  em: EntityManager,
  access: EventAccess,
  ad: Ad,
  type: AdEventType,
  viewer: Viewer,
): Promise<void> {
  if (viewer.sessionId !== null) await checkSessionsOfEvent(access, ad.eventId, 'sessionId', [viewer.sessionId]);
  await em.transactional(async (tx) => {
    tx.persist(new AdEvent(ad.id, ad.eventId, type, viewer.userId, viewer.sessionId));
    publishMonetizationEvent(tx, MONETIZATION_TYPE[type], {
      eventId: ad.eventId,
      adId: ad.id,
      adName: ad.name,
      userId: viewer.userId,
      ...(viewer.sessionId !== null ? { sessionId: viewer.sessionId } : {}),
    });
  });
}
