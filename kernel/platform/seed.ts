import type { MikroORM } from '@mikro-orm/postgresql';
import { PlatformReadModel } from './read-model';
import type { SeedFile } from '../contracts/platform-records';

/** Upserts a seed into the read model in one transaction. */
export async function applySeed(orm: MikroORM, seed: SeedFile): Promise<void> {
  await orm.em.fork().transactional((tx) => new PlatformReadModel(tx).applySeed(seed));
}
