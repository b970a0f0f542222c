import { BigIntType } from '@mikro-orm/core';

/** Column helpers shared by entity schemas, so every table spells its types the same way. */
export const timestamptz = (extra: { onUpdate?: () => Date } = {}) =>
  ({ type: 'Date', columnType: 'timestamptz', ...extra }) as { type: 'Date'; columnType: string };

export const nullableTimestamptz = () =>
  ({ type: 'Date', columnType: 'timestamptz', nullable: true }) as { type: 'Date'; columnType: string; nullable: true };

/** Money and counters kept as bigint in SQL, numbers in code (cents stay far below 2^53). */
export const bigintNumber = (extra: { nullable?: boolean } = {}) =>
  ({ type: new BigIntType('number'), columnType: 'bigint', ...extra }) as { type: BigIntType<'number'>; columnType: string };
