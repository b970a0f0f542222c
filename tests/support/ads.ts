import type { MikroORM } from '@mikro-orm/postgresql';
import { Ad } from '../../subgraphs/ads/entities/ad';

export type AdOverrides = Partial<Omit<Ad, 'id' | 'eventId' | 'createdAt' | 'updatedAt'>>;

/** Inserts one ad straight into the database (live, uncapped, in `lobby-banner` unless told otherwise). */
export async function insertAd(orm: MikroORM, eventId: string, overrides: AdOverrides = {}): Promise<Ad> {
  const em = orm.em.fork();
  const ad = new Ad(eventId, overrides.name ?? 'Ad', 'https://cdn.example.com/ad.png', 'https://sponsor.example.com/');
  ad.placements = ['lobby-banner'];
  Object.assign(ad, overrides);
  await em.persistAndFlush(ad);
  return ad;
}

/** A small seeded generator (mulberry32): the same seed gives the same draws on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
