import type { EntityManager } from '@mikro-orm/postgresql';
import { liveAdSql } from '../ad-liveness';
import { Ad } from '../entities/ad';

/**
 * How many eligible ads one request considers. A placement holds a handful of creatives; should an
 * event ever configure more, the heaviest compete rather than the whole table being read.
 */
export const MAX_CANDIDATES = 100;

export interface ServingContext {
  eventId: string;
  placement: string;
  sessionId: string | null;
  now: Date;
}

/**
 * The ads that may fill a placement now, filtered in SQL: active, inside their schedule, listing the
 * placement, and untargeted or targeting the session. Nothing ineligible leaves the database.
 */
export function findServableAds(em: EntityManager, context: ServingContext): Promise<Ad[]> {
  const query = em
    .createQueryBuilder(Ad, 'a')
    .select('*')
    .where({ eventId: context.eventId })
    .andWhere(liveAdSql('a', '?'), [context.now, context.now])
    .andWhere('? = any(a.placements)', [context.placement]);
  if (context.sessionId === null) query.andWhere('cardinality(a.target_sessions) = 0');
  else query.andWhere('(cardinality(a.target_sessions) = 0 or ? = any(a.target_sessions))', [context.sessionId]);
  return query.orderBy({ weight: 'desc', id: 'asc' }).limit(MAX_CANDIDATES).getResultList();
}
